#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    Import-Module -Name "$root/out/UsernsTools/$version/UsernsTools.psd1" -Force
}

Describe 'Test-UserNamespace' {
    Context 'Probe results' {
        It 'runs the <Name> probe' -TestCases @(
            @{ Name = 'CreateUserNamespace' }
            @{ Name = 'MapRootUser' }
        ) {
            $results = Test-UserNamespace -ProbeTimeout 10
            $results | Should -BeOfType ([UsernsTools.Probes.UsernsProbeResult])
            $probe = $results | Where-Object Name -EQ $Name
            $probe | Should -HaveCount 1
            $probe.Command | Should -Not -BeNullOrEmpty
            if (-not $probe.Succeeded) {
                $probe.Stage | Should -Not -Be 'None'
            }
        }
    }

    Context '-Quiet' {
        It 'returns one Boolean that agrees with the probes' {
            $answer = @(Test-UserNamespace -Quiet)
            $answer | Should -HaveCount 1
            $answer[0] | Should -BeOfType ([bool])
            $results = Test-UserNamespace
            $expected = [bool](($results | Where-Object { $_.Name -eq 'CreateUserNamespace' -and $_.Succeeded }) -and
                ($results | Where-Object { $_.Name -eq 'MapRootUser' -and $_.Succeeded }))
            $answer[0] | Should -Be $expected
        }
    }

    Context 'Pipeline input by property name' {
        It 'probes the user of a piped <Source>' -TestCases @(
            @{ Source = 'object with a User property'; Make = { [pscustomobject]@{ User = 'nobody' } } }
            @{ Source = 'status subject'; Make = { (Get-UsernsStatus -NoProbe -User nobody).Subject } }
        ) {
            $answer = @(& $Make | Test-UserNamespace -Quiet)
            $answer | Should -HaveCount 1
            $answer[0] | Should -BeOfType ([bool])
        }
    }

    Context 'Verbose' {
        It 'says as whom it probes and how each probe ended, with its command line (<Kind>)' -TestCases @(
            @{ Kind = 'the default user'; Splat = @{}; Reason = '*' }
            @{ Kind = '-User root'; Splat = @{ User = 'root' }; Reason = 'Diagnosing root (uid 0), the user asked for.' }
        ) {
            $output = @(Test-UserNamespace @Splat -Verbose 4>&1)
            $results = @($output | Where-Object { $_ -is [UsernsTools.Probes.UsernsProbeResult] })
            $messages = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
            $messages[0] | Should -BeLike 'Diagnosing *'
            $messages[0] | Should -BeLike $Reason
            $results | Should -Not -BeNullOrEmpty
            foreach ($result in $results) {
                $outcome = if ($result.Succeeded) { 'succeeded' } else { "failed at stage $($result.Stage)*" }
                $messages | Where-Object { $_ -like "Probe $($result.Name) $outcome (* ms)." } | Should -HaveCount 1
                $messages | Should -Contain "Ran as $($result.User): $($result.Command -join ' ')"
            }
        }
    }

    Context 'Completion' {
        It 'completes -User with the local accounts' {
            $line = 'Test-UserNamespace -User nob'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'nobody'
        }
    }

    Context 'Errors' {
        It 'writes a non-terminating error for an unknown user<Suffix>' -TestCases @(
            @{ Suffix = ''; Quiet = $false; ExpectedCount = 0 }
            @{ Suffix = ' and answers $false with -Quiet'; Quiet = $true; ExpectedCount = 1 }
        ) {
            $output = @(Test-UserNamespace -User 'no-such-user-usernstools' -Quiet:$Quiet -ErrorVariable err -ErrorAction SilentlyContinue)
            $err | Should -HaveCount 1
            $err[0].TargetObject | Should -Be 'no-such-user-usernstools'
            $err[0].ErrorDetails.Message | Should -Not -BeNullOrEmpty
            $output.Count | Should -Be $ExpectedCount
            if ($Quiet) {
                $output[0] | Should -BeFalse
            }
        }

        It 'goes on with the next piped user after an unknown one' {
            $answers = @('no-such-user-usernstools', 'nobody' | ForEach-Object { [pscustomobject]@{ User = $_ } } |
                Test-UserNamespace -Quiet -ErrorVariable err -ErrorAction SilentlyContinue)
            $err | Should -HaveCount 1
            $answers | Should -HaveCount 2
        }
    }
}
