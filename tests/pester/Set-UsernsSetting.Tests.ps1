#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    Import-Module -Name "$root/out/UsernsTools/$version/UsernsTools.psd1" -Force

    # A machine of its own: /proc/sys values as plain files, so nothing of the host changes.
    function New-TestMachine {
        $machine = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-set-$PID-$([guid]::NewGuid().ToString('n'))"
        New-Item -ItemType Directory -Path "$machine/etc/sysctl.d", "$machine/proc/sys/user", "$machine/proc/sys/kernel" -Force | Out-Null
        Set-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Value '0'
        Set-Content -LiteralPath "$machine/proc/sys/kernel/unprivileged_userns_clone" -Value '0'
        $machine
    }
    $dropIn = 'etc/sysctl.d/99-zz-usernstools.conf'
    $fixtures = "$root/tests/fixtures"

    # What-if and Confirm messages go to the host, not to a stream: a transcript is where a test can read them.
    function Get-HostText([scriptblock] $Script) {
        $log = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-transcript-$PID-$([guid]::NewGuid().ToString('n')).txt"
        Start-Transcript -LiteralPath $log | Out-Null
        try { & $Script | Out-Null } finally { Stop-Transcript | Out-Null }
        try { Get-Content -LiteralPath $log -Raw } finally { Remove-Item -LiteralPath $log -ErrorAction SilentlyContinue }
    }
}

Describe 'Set-UsernsSetting' {
    BeforeEach { $machine = New-TestMachine }
    AfterEach { Remove-Item -LiteralPath $machine -Recurse -Force -ErrorAction SilentlyContinue }

    Context 'Writing a value' {
        It 'sets <Name> to <Value> now and at boot' -TestCases @(
            @{ Name = 'user.max_user_namespaces'; Value = '15000'; File = 'proc/sys/user/max_user_namespaces' }
            @{ Name = 'kernel.unprivileged_userns_clone'; Value = '1'; File = 'proc/sys/kernel/unprivileged_userns_clone' }
        ) {
            $changes = Set-UsernsSetting -Name $Name -Value $Value -Root $machine -Confirm:$false
            $changes | Should -BeOfType ([UsernsTools.Configuration.UsernsChange])
            $changes.Status | Should -Not -Contain 'Declined'
            (Get-Content -LiteralPath "$machine/$File" -Raw).Trim() | Should -Be $Value
            Get-Content -LiteralPath "$machine/$dropIn" -Raw | Should -Match ([regex]::Escape("$Name = $Value"))
            (Get-UsernsSetting -Name $Name -Root $machine).PersistedSource | Should -BeLike "/$dropIn*"
        }

        It 'writes nothing when the value is already in force' {
            Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false | Out-Null
            $before = (Get-Item -LiteralPath "$machine/$dropIn").LastWriteTimeUtc
            $again = Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false -Verbose 4>&1
            @($again | Where-Object { $_ -is [UsernsTools.Configuration.UsernsChange] }).Status | Should -Not -Contain 'Applied'
            @($again | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
            (Get-Item -LiteralPath "$machine/$dropIn").LastWriteTimeUtc | Should -Be $before
        }

        It 'writes nothing, and outputs no change records, under -WhatIf' {
            $changes = Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -WhatIf
            # Like every other cmdlet: -WhatIf prints what it would do and returns nothing that could be piped on.
            $changes | Should -BeNullOrEmpty
            Test-Path -LiteralPath "$machine/$dropIn" | Should -BeFalse
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '0'
        }

        It 'outputs no change records under -WhatIf when the value is already in force' {
            Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false | Out-Null
            Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -WhatIf | Should -BeNullOrEmpty
        }

        It 'returns records a user cannot take for an undoable change when the value is already in force' {
            Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false | Out-Null
            $again = Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false
            $again | Should -Not -BeNullOrEmpty
            $again.Status | Sort-Object -Unique | Should -Be 'AlreadyInDesiredState'
            $again | Where-Object BackupId | Should -BeNullOrEmpty
            $again.Description | Should -Match 'nothing to change'
        }
    }

    Context 'Paths under -Root' {
        It 'names the files below the root in -WhatIf messages' {
            $text = Get-HostText { Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -WhatIf }
            $text | Should -Match ([regex]::Escape("in $machine/$dropIn"" on target ""$machine/$dropIn"""))
            $text | Should -Match ([regex]::Escape("on target ""$machine/proc/sys/user/max_user_namespaces"""))
        }
    }

    Context 'Pipeline' {
        It 'takes Setting and RecommendedValue from a finding-shaped object' {
            [pscustomobject]@{ Setting = 'user.max_user_namespaces'; RecommendedValue = '12345' } |
                Set-UsernsSetting -Root $machine -Confirm:$false | Out-Null
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '12345'
        }

        It 'sets the sysctl findings of a diagnosis and skips the findings that are about no sysctl' {
            # rhel-7.9: MaxUserNamespacesZero (a sysctl), SubordinateIdsMissing and UnshareTooOld (no Setting, but a RecommendedValue).
            $findings = (Get-UsernsStatus -FromReport "$fixtures/rhel-7.9.json").Findings | Where-Object RecommendedValue
            @($findings | Where-Object { -not $_.Setting }).Count | Should -BeGreaterThan 1
            $output = $findings | Set-UsernsSetting -Root $machine -Confirm:$false -ErrorVariable err -Verbose 4>&1
            $err | Should -BeNullOrEmpty
            @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'Skipped' }).Count |
                Should -Be @($findings | Where-Object { -not $_.Setting }).Count
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '28633'
        }

        It 'previews the findings of a diagnosis under -WhatIf without an error' {
            (Get-UsernsStatus -FromReport "$fixtures/rhel-7.9.json").Findings | Where-Object RecommendedValue |
                Set-UsernsSetting -Root $machine -WhatIf -ErrorVariable err | Should -BeNullOrEmpty
            $err | Should -BeNullOrEmpty
        }

        It 'takes Name from a UsernsSetting with -Value on the command line' {
            Get-UsernsSetting -Name user.max_user_namespaces -Root $machine | Set-UsernsSetting -Value 777 -Root $machine -Confirm:$false | Out-Null
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '777'
        }
    }

    Context 'Errors' {
        It 'refuses <Case> with <ErrorId> and writes nothing' -TestCases @(
            @{ Case = 'an unknown name'; Name = 'kernel.printk'; Value = '1'; ErrorId = 'UnknownSetting' }
            @{ Case = 'a value out of range'; Name = 'kernel.unprivileged_userns_clone'; Value = '2'; ErrorId = 'SettingValueOutOfRange' }
            @{ Case = 'a value that is no number'; Name = 'user.max_user_namespaces'; Value = 'many'; ErrorId = 'InvalidSettingValue' }
        ) {
            Set-UsernsSetting -Name $Name -Value $Value -Root $machine -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            Test-Path -LiteralPath "$machine/$dropIn" | Should -BeFalse
        }

        It 'says how to give a setting written as sysctl writes it, name=value' {
            Set-UsernsSetting 'user.max_user_namespaces=5' -Root $machine -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'SettingValueRequired,*'
            $err[0].ErrorDetails.Message | Should -BeLike '*give the name and the value apart: Set-UsernsSetting user.max_user_namespaces 5.'
            Test-Path -LiteralPath "$machine/$dropIn" | Should -BeFalse
        }

        It 'says a -Root that is a file is not a directory' {
            $file = New-TemporaryFile
            try {
                $err = $null
                try { Set-UsernsSetting user.max_user_namespaces 15000 -Root $file.FullName -Confirm:$false -ErrorAction Stop | Out-Null } catch { $err = $_ }
                $err.FullyQualifiedErrorId | Should -BeLike 'RootNotDirectory,*'
                $err.ErrorDetails.Message | Should -Not -Match 'sudo'
            }
            finally {
                Remove-Item -LiteralPath $file.FullName
            }
        }

        It 'refuses a symbolic link below -Root and writes nothing outside it' {
            $outside = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-outside-$PID-$([guid]::NewGuid().ToString('n'))"
            New-Item -ItemType Directory -Path $outside | Out-Null
            try {
                Set-Content -LiteralPath "$outside/victim" -Value 'precious'
                Remove-Item -LiteralPath "$machine/proc/sys/user/max_user_namespaces"
                New-Item -ItemType SymbolicLink -Path "$machine/proc/sys/user/max_user_namespaces" -Target "$outside/victim" | Out-Null
                $err = $null
                try { Set-UsernsSetting user.max_user_namespaces 15000 -Scope Runtime -Root $machine -Confirm:$false -ErrorAction Stop | Out-Null } catch { $err = $_ }
                $err.FullyQualifiedErrorId | Should -BeLike 'TargetIsSymlink,*'
                (Get-Content -LiteralPath "$outside/victim" -Raw).Trim() | Should -Be 'precious'
            }
            finally {
                Remove-Item -LiteralPath $outside -Recurse -Force
            }
        }

        It 'names the file that still wins at boot, where it really is, unless -Force' {
            Set-Content -LiteralPath "$machine/etc/sysctl.conf" -Value 'user.max_user_namespaces = 0'
            Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
            $err[0].FullyQualifiedErrorId | Should -BeLike 'PersistedSettingOverridden,*'
            $err[0].ErrorDetails.Message | Should -Match ([regex]::Escape("$machine/etc/sysctl.conf:1"))
            Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Force -Confirm:$false -WarningVariable warn -WarningAction SilentlyContinue | Out-Null
            $warn -join "`n" | Should -Match ([regex]::Escape("$machine/etc/sysctl.conf:1"))
        }

        It 'tells to override a packaged file that wins at boot from /etc/sysctl.d, not to edit it' {
            New-Item -ItemType Directory -Path "$machine/usr/lib/sysctl.d" -Force | Out-Null
            Set-Content -LiteralPath "$machine/usr/lib/sysctl.d/99-zzz-hardening.conf" -Value 'user.max_user_namespaces = 0'
            Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
            $err[0].FullyQualifiedErrorId | Should -BeLike 'PersistedSettingOverridden,*'
            $message = $err[0].ErrorDetails.Message
            $message.Contains('Change or remove that assignment') | Should -BeFalse
            $message.Contains("with a file of the same name in /etc/sysctl.d ($machine/etc/sysctl.d/99-zzz-hardening.conf, a copy without that line)") | Should -BeTrue
            Test-Path -LiteralPath "$machine/etc/sysctl.d/99-zz-usernstools.conf" | Should -BeFalse
        }

        It 'reports <ErrorId> for one piped item and goes on with the next' -TestCases @(
            @{ ErrorId = 'UnknownSetting'; Bad = @{ Setting = 'kernel.printk'; RecommendedValue = '1' } }
            @{ ErrorId = 'SettingValueOutOfRange'; Bad = @{ Setting = 'kernel.unprivileged_userns_clone'; RecommendedValue = '2' } }
            @{ ErrorId = 'InvalidSettingValue'; Bad = @{ Setting = 'kernel.unprivileged_userns_clone'; RecommendedValue = 'many' } }
            @{ ErrorId = 'PersistedSettingOverridden'; Bad = @{ Setting = 'kernel.unprivileged_userns_clone'; RecommendedValue = '1' }; Conf = 'kernel.unprivileged_userns_clone = 0' }
        ) {
            if ($Conf) { Set-Content -LiteralPath "$machine/etc/sysctl.conf" -Value $Conf }
            $items = [pscustomobject]$Bad, [pscustomobject]@{ Setting = 'user.max_user_namespaces'; RecommendedValue = '12345' }
            $changes = $items | Set-UsernsSetting -Root $machine -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $changes.Setting | Sort-Object -Unique | Should -Be 'user.max_user_namespaces'
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '12345'
        }

        It 'refuses -Scope None when binding, before anything is written' {
            $before = (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw)
            { Set-UsernsSetting user.max_user_namespaces 1 -Scope None -Root $machine -Confirm:$false } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw) | Should -Be $before
        }

        It 'stops with RootNotFound (ObjectNotFound) for a -Root that does not exist' {
            $missing = "$machine/no-such-root"
            $record = { Set-UsernsSetting user.max_user_namespaces 1 -Root $missing -Confirm:$false -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId 'RootNotFound,*' -PassThru
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $record.TargetObject | Should -Be $missing
        }

        It 'stops with PathNotFileSystem for a -Root of another provider (<Root>), not the machine itself' -TestCases @(
            @{ Root = 'env:' }
            @{ Root = 'Env:\' }
            @{ Root = 'variable:' }
            @{ Root = 'function:' }
        ) {
            # The provider path of env: is empty: taken as a folder, it was the running machine's own root.
            $text = Get-HostText {
                $record = { Set-UsernsSetting user.max_user_namespaces 5 -Root $Root -WhatIf } | Should -Throw -ErrorId 'PathNotFileSystem,*' -PassThru
                $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
                $record.ErrorDetails.Message | Should -BeLike "-Root '$Root' is not a file-system path: it belongs to the * provider."
                # What a catch block logs: the whole sentence, not "it belongs to the Environment provider."
                $record.Exception.Message | Should -BeExactly $record.ErrorDetails.Message
            }
            $text | Should -Not -Match 'What if'
            { Disable-UnprivilegedUserns -Root $Root -WhatIf } | Should -Throw -ErrorId 'PathNotFileSystem,*'
            { Get-UsernsSetting -Root $Root } | Should -Throw -ErrorId 'PathNotFileSystem,*'
        }
    }

    Context 'Completion' {
        It 'offers only the settings it accepts for -Name' {
            $line = 'Set-UsernsSetting -Name user'
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $completions | Should -Contain 'user.max_user_namespaces'
            # The RHEL 7 boot switch is refused with BootOptionRequired: offering it would only lead there.
            $completions | Should -Not -Contain 'user_namespace.enable'
            { Set-UsernsSetting -Name user_namespace.enable -Value 1 -Root $machine -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'BootOptionRequired,*'
        }

        It 'does not offer None for -Scope, which it refuses' {
            $line = 'Set-UsernsSetting -Name user.max_user_namespaces -Scope '
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $completions | Should -Be @('Persistent', 'Runtime')
            # Nor does the help list it among the values -Scope takes.
            (Get-Help Set-UsernsSetting -Parameter Scope).parameterValueGroup.parameterValue | Should -Be @('Runtime', 'Persistent')
            ((Get-Help Set-UsernsSetting).syntax.syntaxItem.parameter | Where-Object name -EQ 'Scope').parameterValueGroup.parameterValue |
                Should -Be @('Runtime', 'Persistent')
            { Set-UsernsSetting -Name user.max_user_namespaces -Value 1 -Scope None -Root $machine -WhatIf } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        }
    }

    Context 'Help' {
        It 'lists -WhatIf and -Confirm in its syntax and parameters, as Get-Command does' {
            (Get-Command Set-UsernsSetting).Parameters.Keys | Should -Contain 'WhatIf'
            $help = Get-Help Set-UsernsSetting -Full
            foreach ($syntax in $help.syntax.syntaxItem) {
                $syntax.parameter.name | Should -Contain 'WhatIf'
                $syntax.parameter.name | Should -Contain 'Confirm'
            }
            $help.parameters.parameter.name | Should -Contain 'WhatIf'
            $help.parameters.parameter.name | Should -Contain 'Confirm'
            (Get-Help Set-UsernsSetting -Parameter WhatIf).aliases | Should -Be 'wi'
            (Get-Help Set-UsernsSetting -Parameter Confirm).aliases | Should -Be 'cf'
            # -WhatIf and -Confirm close every syntax line, as Get-Command shows them.
            foreach ($syntax in $help.syntax.syntaxItem) {
                ($syntax.parameter.name | Select-Object -Last 2) -join ' ' | Should -Be 'WhatIf Confirm'
            }
        }
    }
}
