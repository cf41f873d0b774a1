#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeDiscovery {
    # -Skip is evaluated when the tests are discovered, before any BeforeAll runs.
    $hasBwrap = [bool](Get-Command -Name bwrap -CommandType Application -ErrorAction SilentlyContinue)
}

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    Import-Module -Name "$root/out/UsernsTools/$version/UsernsTools.psd1" -Force

    $scratch = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-invoke-$PID"
    New-Item -ItemType Directory -Path $scratch -Force | Out-Null
}

AfterAll {
    Remove-Item -LiteralPath $scratch -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Invoke-NamespacedProcess' {
    Context 'Timeout validation' {
        It 'refuses -Timeout <Value> at binding, before the program starts' -TestCases @(
            @{ Value = 5000000 }
            @{ Value = [double]::NaN }
            @{ Value = [double]::PositiveInfinity }
            @{ Value = 1e30 }
            @{ Value = [timespan]::MaxValue }
        ) {
            $marker = Join-Path $scratch "started-$([guid]::NewGuid())"
            { Invoke-NamespacedProcess touch $marker -MapRootUser -Timeout $Value -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgument*,UsernsTools.Module.Commands.InvokeNamespacedProcessCommand'
            Test-Path -LiteralPath $marker | Should -BeFalse
        }
    }

    Context 'Identity and namespaces' {
        It 'runs as uid <Uid> with <Mapping>' -TestCases @(
            @{ Mapping = '-MapRootUser'; Parameters = @{ MapRootUser = $true }; Uid = '0' }
            @{ Mapping = '-MapUser 1234'; Parameters = @{ MapUser = 1234 }; Uid = '1234' }
        ) {
            Invoke-NamespacedProcess -FilePath id -ArgumentList '-u' @Parameters | Should -Be $Uid
        }

        It 'is pid 1 in a new pid namespace' {
            Invoke-NamespacedProcess sh '-c', 'echo $$' -MapRootUser -Namespace Pid | Should -Be '1'
        }

        It 'sets the hostname of a new UTS namespace' {
            Invoke-NamespacedProcess hostname -MapRootUser -Hostname 'pester-box' | Should -Be 'pester-box'
        }

        It 'passes arguments byte for byte: <Name>' -TestCases @(
            @{ Name = 'spaces'; Value = 'a b  c' }
            @{ Name = 'quotes'; Value = "it's `"quoted`"" }
            @{ Name = 'command substitution'; Value = '$(id) `id`' }
            @{ Name = 'separator'; Value = 'a; echo b' }
            @{ Name = 'newline'; Value = "x`ny" }
        ) {
            $lines = Invoke-NamespacedProcess printf '[%s]', $Value -MapRootUser
            ($lines -join "`n") | Should -BeExactly "[$Value]"
        }
    }

    Context 'Streams' {
        It 'sends pipeline input to stdin and returns stdout lines as strings' {
            $out = 'one', 'two $(x)', '', 'three' | Invoke-NamespacedProcess cat -MapRootUser
            $out | Should -Be @('one', 'two $(x)', '', 'three')
            $out | ForEach-Object { $_ | Should -BeOfType ([string]) }
        }

        It 'writes the first line before the program has ended' {
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $first = Invoke-NamespacedProcess sh '-c', 'echo first; sleep 30' -MapRootUser | Select-Object -First 1
            $first | Should -Be 'first'
            # Select-Object -First stops the pipeline, which must end the sandbox instead of waiting for it.
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 20
        }

        It 'writes stderr lines as errors with their own error id' {
            $out = Invoke-NamespacedProcess sh '-c', 'echo out; echo bad >&2' -MapRootUser -ErrorVariable err -ErrorAction SilentlyContinue
            $out | Should -Be 'out'
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NamespacedProcessStandardError*'
            $err[0].Exception.Message | Should -Be 'bad'
        }
    }

    Context '-PassThru and exit codes' {
        It 'reports exit code <Code> and signal <Signal>' -TestCases @(
            @{ Script = 'exit 0'; Code = 0; Signal = $null }
            @{ Script = 'exit 7'; Code = 7; Signal = $null }
            @{ Script = 'kill -TERM $$'; Code = 143; Signal = 15 }
        ) {
            $result = Invoke-NamespacedProcess sh '-c', $Script -MapRootUser -PassThru
            $result | Should -BeOfType ([UsernsTools.Sandbox.NamespacedProcessResult])
            $result.ExitCode | Should -Be $Code
            $result.Signal | Should -Be $Signal
            $result.TimedOut | Should -BeFalse
            $result.Argv | Should -Not -BeNullOrEmpty
            $LASTEXITCODE | Should -Be $Code
        }

        It 'kills the whole tree on -Timeout' {
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $result = Invoke-NamespacedProcess sh '-c', 'sleep 100 & sleep 100' -MapRootUser -Timeout 1 -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
            $result.TimedOut | Should -BeTrue
            $err | Where-Object FullyQualifiedErrorId -Like 'NamespacedProcessTimedOut*' | Should -HaveCount 1
        }
    }

    Context '-WhatIf' {
        It 'shows the argv and runs nothing' {
            $marker = Join-Path $scratch 'whatif-marker'
            Invoke-NamespacedProcess touch $marker -MapRootUser -WhatIf
            Test-Path -LiteralPath $marker | Should -BeFalse
        }
    }

    Context 'bubblewrap options' {
        It 'makes the root read-only and a bound folder writable' -Skip:(-not $hasBwrap) {
            # Bound onto its own path, which exists below the read-only root: no mount point has to be made for it.
            $out = Invoke-NamespacedProcess sh '-c', "touch /usr/pester-x 2>/dev/null || echo ro; touch '$scratch/ok' && echo rw" `
                -MapRootUser -ReadOnlyRoot -BindMount "${scratch}:${scratch}"
            $out | Should -Be @('ro', 'rw')
            Test-Path -LiteralPath (Join-Path $scratch 'ok') | Should -BeTrue
        }
    }

    Context 'Errors' {
        It 'refuses <Case> with <ErrorId>' -TestCases @(
            @{ Case = 'a relative bind target'; Parameters = @{ BindMount = @{ Source = '/tmp'; Target = 'rel' } }; ErrorId = 'NamespaceSpecPathNotAbsolute' }
            @{ Case = 'a bad hostname'; Parameters = @{ Hostname = 'not valid'; MapRootUser = $true }; ErrorId = 'NamespaceSpecInvalidHostname' }
        ) {
            { Invoke-NamespacedProcess id @Parameters -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId*"
        }

        It 'refuses -Interactive with pipeline input' {
            { 'x' | Invoke-NamespacedProcess cat -Interactive -ErrorAction Stop } | Should -Throw -ErrorId 'InteractiveWithPipelineInput*'
        }
    }

    Context 'Completion' {
        It 'completes -FilePath with the commands on PATH' {
            $line = 'Invoke-NamespacedProcess -FilePath unsha'
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            $completions.CompletionText | Should -Contain 'unshare'
            ($completions | Where-Object CompletionText -EQ 'unshare').ToolTip | Should -Be (Get-Command unshare -CommandType Application | Select-Object -First 1).Source
        }

        It 'completes a -FilePath with a slash as a file path' {
            $line = 'Invoke-NamespacedProcess -FilePath /usr/bin/unsha'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain '/usr/bin/unshare'
        }

        It 'does not offer None for -Namespace, which it refuses' {
            $line = 'Invoke-NamespacedProcess -FilePath true -Namespace '
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $completions | Should -Be @('Cgroup', 'Ipc', 'Mount', 'Net', 'Pid', 'Time', 'User', 'Uts')
            { Invoke-NamespacedProcess -FilePath true -Namespace None } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        }
    }

    Context 'Help' {
        It 'lists -WhatIf and -Confirm in its syntax and parameters, as Get-Command does' {
            (Get-Command Invoke-NamespacedProcess).Parameters.Keys | Should -Contain 'WhatIf'
            $help = Get-Help Invoke-NamespacedProcess -Full
            foreach ($syntax in $help.syntax.syntaxItem) {
                $syntax.parameter.name | Should -Contain 'WhatIf'
                $syntax.parameter.name | Should -Contain 'Confirm'
            }
            $help.parameters.parameter.name | Should -Contain 'WhatIf'
            $help.parameters.parameter.name | Should -Contain 'Confirm'
            (Get-Help Invoke-NamespacedProcess -Parameter WhatIf).aliases | Should -Be 'wi'
            (Get-Help Invoke-NamespacedProcess -Parameter Confirm).aliases | Should -Be 'cf'
            # -WhatIf and -Confirm close every syntax line, as Get-Command shows them.
            foreach ($syntax in $help.syntax.syntaxItem) {
                ($syntax.parameter.name | Select-Object -Last 2) -join ' ' | Should -Be 'WhatIf Confirm'
            }
        }
    }
}
