#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    Import-Module -Name "$root/out/UsernsTools/$version/UsernsTools.psd1" -Force

    function New-TestMachine {
        $machine = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-disable-$PID-$([guid]::NewGuid().ToString('n'))"
        New-Item -ItemType Directory -Path "$machine/etc/sysctl.d", "$machine/proc/sys/user" -Force | Out-Null
        Set-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Value '31000'
        $machine
    }
}

Describe 'Disable-UnprivilegedUserns' {
    BeforeEach { $machine = New-TestMachine }
    AfterEach { Remove-Item -LiteralPath $machine -Recurse -Force -ErrorAction SilentlyContinue }

    Context 'Hardening' {
        It 'sets user.max_user_namespaces to 0 now and at boot, and warns what stops working' {
            $changes = Disable-UnprivilegedUserns -Root $machine -Confirm:$false -WarningVariable warn -WarningAction SilentlyContinue
            $changes | Should -BeOfType ([UsernsTools.Configuration.UsernsChange])
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '0'
            Get-Content -LiteralPath "$machine/etc/sysctl.d/99-zz-usernstools.conf" -Raw | Should -Match 'user.max_user_namespaces = 0'
            $warn -join "`n" | Should -Match 'Podman'
        }

        It 'is undone by piping its changes to Restore-UsernsConfiguration' {
            Disable-UnprivilegedUserns -Root $machine -Confirm:$false -WarningAction SilentlyContinue | Restore-UsernsConfiguration -Root $machine -Confirm:$false | Out-Null
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '31000'
            Test-Path -LiteralPath "$machine/etc/sysctl.d/99-zz-usernstools.conf" | Should -BeFalse
        }

        It 'writes nothing, and outputs no change records, under -WhatIf' {
            Disable-UnprivilegedUserns -Root $machine -WhatIf -WarningAction SilentlyContinue | Should -BeNullOrEmpty
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '31000'
        }
    }

    Context 'Errors' {
        It 'stops with RootNotFound (ObjectNotFound) for a -Root that does not exist' {
            $missing = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-no-such-root-$PID"
            $record = { Disable-UnprivilegedUserns -Confirm:$false -Root $missing -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId 'RootNotFound,*' -PassThru
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $record.TargetObject | Should -Be $missing
        }
    }

    Context 'Help' {
        It 'lists -WhatIf and -Confirm in its syntax and parameters, as Get-Command does' {
            (Get-Command Disable-UnprivilegedUserns).Parameters.Keys | Should -Contain 'WhatIf'
            $help = Get-Help Disable-UnprivilegedUserns -Full
            foreach ($syntax in $help.syntax.syntaxItem) {
                $syntax.parameter.name | Should -Contain 'WhatIf'
                $syntax.parameter.name | Should -Contain 'Confirm'
            }
            $help.parameters.parameter.name | Should -Contain 'WhatIf'
            $help.parameters.parameter.name | Should -Contain 'Confirm'
            (Get-Help Disable-UnprivilegedUserns -Parameter WhatIf).aliases | Should -Be 'wi'
            (Get-Help Disable-UnprivilegedUserns -Parameter Confirm).aliases | Should -Be 'cf'
            # -WhatIf and -Confirm close every syntax line, as Get-Command shows them.
            foreach ($syntax in $help.syntax.syntaxItem) {
                ($syntax.parameter.name | Select-Object -Last 2) -join ' ' | Should -Be 'WhatIf Confirm'
            }
        }
    }
}
