#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeDiscovery {
    # -Skip is evaluated at discovery. In CI bwrap is installed, so there a missing bwrap fails instead of skipping.
    $skipBwrap = -not (Get-Command -Name bwrap -CommandType Application -ErrorAction SilentlyContinue) -and $env:CI -ne 'true'
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

        It 'holds the program in a pid namespace of its own, as pid 2, unless -SharePidNamespace' {
            Invoke-NamespacedProcess sh '-c', 'echo $$' -MapRootUser | Should -Be '2'
            Invoke-NamespacedProcess sh '-c', 'echo $$' -MapRootUser -SharePidNamespace | Should -Not -Be '2'
        }

        It 'ends what the program left in the background when it exits' {
            $marker = "1000.$(Get-Random -Minimum 100000 -Maximum 999999)"
            Invoke-NamespacedProcess sh '-c', "sleep $marker >/dev/null 2>&1 &" -MapRootUser
            Start-Sleep -Milliseconds 300
            $left = @(Get-Process -Name sleep -ErrorAction SilentlyContinue | Where-Object { $_.CommandLine -like "*$marker*" })
            $left | Stop-Process -Force -ErrorAction SilentlyContinue
            $left.Count | Should -Be 0
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

        It 'takes -ArgumentList $null for no arguments, as pwsh does for a native command' {
            'echo $# arguments' | Invoke-NamespacedProcess sh -ArgumentList $null -MapRootUser | Should -BeExactly '0 arguments'
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

        It 'writes stderr lines to the error stream as plain text, as pwsh does for a native command' {
            $all = Invoke-NamespacedProcess sh '-c', 'echo out; echo bad >&2; echo worse >&2' -MapRootUser 2>&1
            $all | Where-Object { $_ -is [string] } | Should -Be 'out'
            $records = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $records.FullyQualifiedErrorId | Should -Be @('NativeCommandError', 'NativeCommandErrorMessage')
            $records.Exception.Message | Should -Be @('bad', 'worse')
            # No error block (command name, "Line |", position): just the program's text.
            ($records | Out-String -Width 120).Trim() -split '\r?\n' | Should -Be @('bad', 'worse')
        }
    }

    Context 'Like a native command: $?, $LASTEXITCODE and errors' {
        BeforeEach {
            $PSNativeCommandUseErrorActionPreference = $false
        }

        It 'sets $? False and $LASTEXITCODE after a non-zero exit without writing an error' {
            $Error.Clear()
            Invoke-NamespacedProcess sh '-c', 'exit 3' -MapRootUser -ErrorVariable err
            $succeeded = $?
            $succeeded | Should -BeFalse
            $LASTEXITCODE | Should -Be 3
            $err | Should -HaveCount 0
            $Error | Should -HaveCount 0
        }

        It 'leaves $? True after stderr lines when the exit code is 0' {
            $Error.Clear()
            Invoke-NamespacedProcess sh '-c', 'echo warning >&2; exit 0' -MapRootUser 2>$null
            $succeeded = $?
            $succeeded | Should -BeTrue
            $LASTEXITCODE | Should -Be 0
            $Error | Should -HaveCount 0
        }

        It 'does not stop on a stderr line under <Case>' -TestCases @(
            @{ Case = "`$ErrorActionPreference = 'Stop'"; Preference = 'Stop'; Parameters = @{} }
            @{ Case = '-ErrorAction Stop'; Preference = 'Continue'; Parameters = @{ ErrorAction = 'Stop' } }
        ) {
            $ErrorActionPreference = $Preference
            $out = Invoke-NamespacedProcess sh '-c', 'echo warning >&2; echo done' -MapRootUser @Parameters 2>$null
            $out | Should -Be 'done'
        }

        It 'writes ProgramExitedWithNonZeroCode under $PSNativeCommandUseErrorActionPreference, stopping with <Case>' -TestCases @(
            @{ Case = '-ErrorAction Stop'; Preference = 'Continue'; Parameters = @{ ErrorAction = 'Stop' } }
            @{ Case = "`$ErrorActionPreference = 'Stop'"; Preference = 'Stop'; Parameters = @{} }
        ) {
            $PSNativeCommandUseErrorActionPreference = $true
            $ErrorActionPreference = $Preference
            $thrown = $null
            try {
                Invoke-NamespacedProcess sh '-c', 'exit 3' -MapRootUser @Parameters
            }
            catch {
                $thrown = $_
            }

            $thrown | Should -Not -BeNullOrEmpty
            $thrown.FullyQualifiedErrorId | Should -BeLike 'ProgramExitedWithNonZeroCode,*'
            $thrown.Exception | Should -BeOfType ([System.Management.Automation.NativeCommandExitException])
            $thrown.Exception.ExitCode | Should -Be 3
            $thrown.Exception.Message | Should -Be 'Program "sh" ended with non-zero exit code: 3 (0x03).'
            $LASTEXITCODE | Should -Be 3
        }

        It 'honours -ErrorAction SilentlyContinue for the exit error under $PSNativeCommandUseErrorActionPreference' {
            $PSNativeCommandUseErrorActionPreference = $true
            Invoke-NamespacedProcess sh '-c', 'exit 4' -MapRootUser -ErrorAction SilentlyContinue -ErrorVariable err
            $succeeded = $?
            $succeeded | Should -BeFalse
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ProgramExitedWithNonZeroCode,*'
            $LASTEXITCODE | Should -Be 4

            # Exit code 0 is no error, whatever the preference.
            { Invoke-NamespacedProcess sh '-c', 'exit 0' -MapRootUser -ErrorAction Stop } | Should -Not -Throw
        }

        It 'refuses a program that does not exist with ProgramNotFound before anything starts' {
            $global:LASTEXITCODE = 42
            $thrown = $null
            try {
                Invoke-NamespacedProcess usernstools-no-such-program -MapRootUser -ErrorAction Stop
            }
            catch {
                $thrown = $_
            }

            $thrown.FullyQualifiedErrorId | Should -BeLike 'ProgramNotFound,*'
            $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $thrown.TargetObject | Should -Be 'usernstools-no-such-program'
            $thrown.ToString() | Should -Not -Match 'unshare|bwrap'
            # Nothing ran, so nothing set an exit code.
            $LASTEXITCODE | Should -Be 42
        }
    }

    Context 'Automatic mapping' {
        It 'refuses -MapAuto with SubordinateIdsMissing when /etc/subuid or /etc/subgid gives the user no range' {
            $listed = { param($File) (Test-Path $File) -and @(Get-Content $File | Where-Object { ($_ -split ':')[0] -in 'root', '0' }).Count -gt 0 }
            $global:LASTEXITCODE = 42
            $thrown = $null
            try {
                Invoke-NamespacedProcess true -MapAuto -ErrorAction Stop
            }
            catch {
                $thrown = $_
            }

            if ((& $listed /etc/subuid) -and (& $listed /etc/subgid)) {
                "$thrown" | Should -Not -Match 'SubordinateIdsMissing'
                return
            }
            $thrown.FullyQualifiedErrorId | Should -BeLike 'SubordinateIdsMissing,*'
            $thrown.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $thrown.TargetObject | Should -Be 'root'
            $thrown.ToString() | Should -BeLike '*needs a range for root in both /etc/subuid and /etc/subgid*'
            $LASTEXITCODE | Should -Be 42
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
        It 'makes the root read-only and a bound folder writable at a path the host lacks' -Skip:$skipBwrap {
            # As documentation example 5: the target, and the working directory in it, need not exist on the host.
            $target = "/usernstools-pester-$PID/data"
            $out = Invoke-NamespacedProcess sh '-c', 'touch /usr/pester-x 2>/dev/null || echo ro; touch ok && echo rw; pwd' `
                -MapRootUser -ReadOnlyRoot -BindMount "${scratch}:$target" -WorkingDirectory $target
            $out | Should -Be @('ro', 'rw', $target)
            Test-Path -LiteralPath (Join-Path $scratch 'ok') | Should -BeTrue
            Test-Path -LiteralPath "/usernstools-pester-$PID" | Should -BeFalse
        }
    }

    Context 'Errors' {
        It 'refuses <Case> with <ErrorId>' -TestCases @(
            @{ Case = 'a relative bind target'; Parameters = @{ BindMount = @{ Source = '/tmp'; Target = 'rel' } }; ErrorId = 'NamespaceSpecPathNotAbsolute' }
            @{ Case = 'a bad hostname'; Parameters = @{ Hostname = 'not valid'; MapRootUser = $true }; ErrorId = 'NamespaceSpecInvalidHostname' }
            @{ Case = 'a missing working directory'; Parameters = @{ WorkingDirectory = '/usernstools-no-such-dir'; MapRootUser = $true }; ErrorId = 'WorkingDirectoryNotFound' }
            @{ Case = 'a missing bind source'; Parameters = @{ BindMount = '/usernstools-no-such-dir:/mnt'; MapRootUser = $true }; ErrorId = 'BindMountSourceNotFound' }
        ) {
            { Invoke-NamespacedProcess id @Parameters -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,*"
        }

        It 'refuses a directory given as the program with ProgramNotExecutable, as the shells do (126)' {
            $record = { Invoke-NamespacedProcess /tmp -ErrorAction Stop } | Should -Throw -ErrorId 'ProgramNotExecutable,*' -PassThru
            $record.Exception.Message | Should -Be "The program '/tmp' cannot be executed: it is a directory."
        }

        It 'refuses a bind target it would have to create on the host, and leaves the host as it was' {
            $parent = New-Item -ItemType Directory -Path (Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-bindparent-$([guid]::NewGuid().ToString('n'))")
            $target = Join-Path $parent.FullName 'mountpoint'
            $record = { Invoke-NamespacedProcess true -BindMount "/usr/share:$target" -ErrorAction Stop } | Should -Throw -ErrorId 'BindMountTargetOnHost,*' -PassThru
            $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
            Test-Path -LiteralPath $target | Should -BeFalse
            # A read-only root makes the mount point inside the sandbox only.
            Invoke-NamespacedProcess ls -ArgumentList '-d', $target -ReadOnlyRoot -BindMount "/usr/share:$target" | Should -Be $target
            Test-Path -LiteralPath $target | Should -BeFalse
            Remove-Item -LiteralPath $parent.FullName
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
