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

        It 'writes nothing under -WhatIf' {
            $changes = Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -WhatIf
            $changes.Status | Should -Not -Contain 'Applied'
            Test-Path -LiteralPath "$machine/$dropIn" | Should -BeFalse
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '0'
        }
    }

    Context 'Pipeline' {
        It 'takes Setting and RecommendedValue from a finding-shaped object' {
            [pscustomobject]@{ Setting = 'user.max_user_namespaces'; RecommendedValue = '12345' } |
                Set-UsernsSetting -Root $machine -Confirm:$false | Out-Null
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '12345'
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

        It 'names the file that still wins at boot unless -Force' {
            Set-Content -LiteralPath "$machine/etc/sysctl.conf" -Value 'user.max_user_namespaces = 0'
            Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
            $err[0].FullyQualifiedErrorId | Should -BeLike 'PersistedSettingOverridden,*'
            $err[0].ErrorDetails.Message | Should -Match '/etc/sysctl.conf:1'
            Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Force -Confirm:$false -WarningVariable warn -WarningAction SilentlyContinue | Out-Null
            $warn -join "`n" | Should -Match '/etc/sysctl.conf:1'
        }
    }
}
