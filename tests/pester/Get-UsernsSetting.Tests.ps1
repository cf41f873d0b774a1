#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    Import-Module -Name "$root/out/UsernsTools/$version/UsernsTools.psd1" -Force

    # A machine of its own: a sysctl.d file that loses to a later one for the same key.
    $machine = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-settings-$PID"
    New-Item -ItemType Directory -Path "$machine/etc/sysctl.d", "$machine/proc/sys/user" -Force | Out-Null
    Set-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Value '0'
    Set-Content -LiteralPath "$machine/etc/sysctl.d/60-userns.conf" -Value 'user.max_user_namespaces = 15000'
    Set-Content -LiteralPath "$machine/etc/sysctl.d/99-hardening.conf" -Value 'user.max_user_namespaces = 0'
}

AfterAll {
    Remove-Item -LiteralPath $machine -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Get-UsernsSetting' {
    Context 'This machine' {
        It 'reports the runtime value of <Name> as the kernel has it' -TestCases @(
            @{ Name = 'user.max_user_namespaces'; File = '/proc/sys/user/max_user_namespaces' }
        ) {
            $setting = Get-UsernsSetting -Name $Name
            $setting | Should -HaveCount 1
            $setting | Should -BeOfType ([UsernsTools.Facts.UsernsSetting])
            $setting.Name | Should -Be $Name
            $setting.Present | Should -BeTrue
            $setting.RuntimeValue | Should -Be (Get-Content -LiteralPath $File -Raw).Trim()
        }

        It 'lists the settings without -Name, each once' {
            $names = @((Get-UsernsSetting).Name)
            $names | Should -Contain 'user.max_user_namespaces'
            ($names | Sort-Object -Unique).Count | Should -Be $names.Count
        }
    }

    Context 'Another root' {
        It 'names the file that wins at boot and the one it shadows (-Root <Kind>)' -TestCases @(
            @{ Kind = 'a full path'; Relative = $false }
            @{ Kind = 'a relative path'; Relative = $true }
        ) {
            $rootArgument = $machine
            if ($Relative) {
                Push-Location -LiteralPath (Split-Path -Parent $machine)
                $rootArgument = "./$(Split-Path -Leaf $machine)"
            }
            try {
                $setting = Get-UsernsSetting -Name user.max_user_namespaces -Root $rootArgument
            }
            finally {
                if ($Relative) { Pop-Location }
            }
            $setting.RuntimeValue | Should -Be '0'
            $setting.PersistedValue | Should -Be '0'
            $setting.PersistedSource | Should -BeLike '*/etc/sysctl.d/99-hardening.conf:*'
            $setting.Shadowed | Should -Not -BeNullOrEmpty
        }
    }

    Context 'Errors' {
        It 'reports an unknown name among several and still shows the others' {
            $settings = Get-UsernsSetting -Name 'user.max_user_namespaces', 'no.such.setting', 'user.max_pid_namespaces' -Root $machine -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'UnknownSetting,*'
            $err[0].TargetObject | Should -Be 'no.such.setting'
            $settings.Name | Should -Be @('user.max_user_namespaces', 'user.max_pid_namespaces')
        }

        It 'stops with RootNotFound (ObjectNotFound) for a -Root that does not exist' {
            $missing = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-no-such-root-$PID"
            $record = { Get-UsernsSetting -Root $missing -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId 'RootNotFound,*' -PassThru
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $record.TargetObject | Should -Be $missing
        }
    }

    Context 'Pipeline input' {
        It 'reads the names piped in as <Kind>' -TestCases @(
            @{ Kind = 'one string'; Names = @('user.max_user_namespaces'); Expected = @('user.max_user_namespaces') }
            @{ Kind = 'several strings'; Names = @('user.max_user_namespaces', 'user.max_pid_namespaces'); Expected = @('user.max_user_namespaces', 'user.max_pid_namespaces') }
            @{ Kind = 'a wildcard'; Names = @('user.max_us*'); Expected = @('user.max_user_namespaces') }
        ) {
            $settings = @($Names | Get-UsernsSetting -Root $machine)
            $settings.Name | Should -Be $Expected
            $settings[0].PersistedValue | Should -Be '0'
        }

        It 'reads the Name of settings piped in by property name' {
            $settings = @(Get-UsernsSetting -Root $machine -Name 'user.max_*' | Get-UsernsSetting -Root $machine)
            $settings | Should -HaveCount 8
            ($settings.Name | Sort-Object -Unique) | Should -HaveCount 8
        }
    }

    Context 'Help' {
        It 'says -Name accepts wildcards, as it does' {
            @(Get-UsernsSetting -Root $machine -Name 'user.max_*') | Should -HaveCount 8
            (Get-Help Get-UsernsSetting -Parameter Name).globbing | Should -Be 'true'
            (Get-Help Get-UsernsSetting -Parameter Name).pipelineInput | Should -Be 'true (ByValue, ByPropertyName)'
        }
    }

    Context 'Completion' {
        It 'completes <Typed> to <Expected>' -TestCases @(
            @{ Typed = 'user.max_u'; Expected = 'user.max_user_namespaces' }
            @{ Typed = 'kernel.unpriv'; Expected = 'kernel.unprivileged_userns_clone' }
            @{ Typed = 'apparmor'; Expected = 'kernel.apparmor_restrict_unprivileged_userns' }
            @{ Typed = 'user_namespace'; Expected = 'user_namespace.enable' }
        ) {
            # Get-UsernsSetting reads every setting, the RHEL 7 boot switch included.
            $line = "Get-UsernsSetting -Name $Typed"
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $completions | Should -Contain $Expected
        }
    }

    Context 'Display' {
        It 'has a table view first (the default) for <TypeName>' -TestCases @(
            @{ TypeName = 'UsernsTools.Facts.UsernsSetting' }
            @{ TypeName = 'Deserialized.UsernsTools.Facts.UsernsSetting' }
        ) {
            (Get-FormatData -TypeName $TypeName).FormatViewDefinition[0].Control |
                Should -BeOfType ([System.Management.Automation.TableControl])
        }
    }
}
