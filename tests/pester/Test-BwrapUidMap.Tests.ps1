#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    Import-Module -Name "$root/out/UsernsTools/$version/UsernsTools.psd1" -Force
    $hasBwrap = [bool](Get-Command -Name bwrap -CommandType Application -ErrorAction SilentlyContinue)
}

Describe 'Test-BwrapUidMap' {
    Context 'Probe results' {
        It 'runs the <Mode> probe' -TestCases @(
            @{ Mode = 'Strict' }
            @{ Mode = 'Try' }
            @{ Mode = 'Network' }
            @{ Mode = 'Proc' }
        ) {
            $results = Test-BwrapUidMap -ProbeTimeout 10
            $results | Should -BeOfType ([UsernsTools.Probes.Bwrap.BwrapProbeResult])
            $probe = $results | Where-Object Mode -EQ $Mode
            $probe | Should -HaveCount 1
            if ($probe.Succeeded) {
                $probe.ErrorKind | Should -Be 'None'
            }
            else {
                $probe.ErrorKind | Should -Not -Be 'None'
                $probe.LikelyCause | Should -Not -BeNullOrEmpty
            }
        }

        It 'says NotInstalled, not an error, for a bwrap that does not exist' {
            $results = Test-BwrapUidMap -BwrapPath '/nonexistent/bwrap' -ErrorVariable err
            $err | Should -HaveCount 0
            $results.ErrorKind | Sort-Object -Unique | Should -Be 'NotInstalled'
        }
    }

    Context '-Quiet' {
        It 'returns one Boolean that agrees with the strict probe' {
            $answer = @(Test-BwrapUidMap -Quiet)
            $answer | Should -HaveCount 1
            $answer[0] | Should -BeOfType ([bool])
            $strict = Test-BwrapUidMap | Where-Object Mode -EQ Strict
            $answer[0] | Should -Be ([bool]($strict.Succeeded -and $strict.UidMapped))
        }

        It 'answers $false when bwrap is missing' {
            Test-BwrapUidMap -BwrapPath '/nonexistent/bwrap' -Quiet | Should -BeFalse
        }
    }

    Context 'Pipeline input by property name' {
        It 'probes the user of a piped <Source>' -TestCases @(
            @{ Source = 'object with a User property'; Make = { [pscustomobject]@{ User = 'nobody' } } }
            @{ Source = 'status subject'; Make = { (Get-UsernsStatus -NoProbe -User nobody).Subject } }
        ) {
            $answer = @(& $Make | Test-BwrapUidMap -Quiet)
            $answer | Should -HaveCount 1
            $answer[0] | Should -BeOfType ([bool])
        }
    }

    Context 'Errors' {
        It 'writes a non-terminating error for an unknown user<Suffix>' -TestCases @(
            @{ Suffix = ''; Quiet = $false; ExpectedCount = 0 }
            @{ Suffix = ' and answers $false with -Quiet'; Quiet = $true; ExpectedCount = 1 }
        ) {
            $output = @(Test-BwrapUidMap -User 'no-such-user-usernstools' -Quiet:$Quiet -ErrorVariable err -ErrorAction SilentlyContinue)
            $err | Should -HaveCount 1
            $err[0].TargetObject | Should -Be 'no-such-user-usernstools'
            $output.Count | Should -Be $ExpectedCount
        }
    }

    Context 'Display' {
        It 'shows mode and outcome first, also after remoting serialisation' -TestCases @(
            @{ Remote = $false }
            @{ Remote = $true }
        ) {
            $results = Test-BwrapUidMap -BwrapPath '/nonexistent/bwrap'
            if ($Remote) {
                $results = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($results))
            }
            $header = ($results | Format-Table | Out-String).Trim() -split "`n" | Select-Object -First 1
            $header | Should -Match '^Mode\s+Succeeded\s+UidMapped\s+ErrorKind'
        }
    }
}
