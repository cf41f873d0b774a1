#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    Import-Module -Name "$root/out/UsernsTools/$version/UsernsTools.psd1" -Force

    $machine = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-test-setting-$PID"
    New-Item -ItemType Directory -Path "$machine/etc/sysctl.d", "$machine/proc/sys/user" -Force | Out-Null
    Set-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Value '0'
    Set-Content -LiteralPath "$machine/etc/sysctl.d/60-hardening.conf" -Value 'user.max_user_namespaces = 0'
}

AfterAll {
    Remove-Item -LiteralPath $machine -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Test-UsernsSetting' {
    Context 'Answers' {
        It 'answers <Expected> for <Value> in scope <Scope>' -TestCases @(
            @{ Value = '0'; Scope = 'Runtime'; Expected = $true }
            @{ Value = '0'; Scope = 'Persistent'; Expected = $true }
            @{ Value = '0'; Scope = 'Runtime,Persistent'; Expected = $true }
            @{ Value = '15000'; Scope = 'Runtime'; Expected = $false }
            @{ Value = '15000'; Scope = 'Persistent'; Expected = $false }
        ) {
            Test-UsernsSetting -Name user.max_user_namespaces -Value $Value -Scope $Scope -Root $machine | Should -Be $Expected
        }

        It 'changes nothing' {
            $before = Get-ChildItem -LiteralPath $machine -Recurse -File | ForEach-Object FullName
            Test-UsernsSetting user.max_user_namespaces 15000 -Root $machine | Out-Null
            Get-ChildItem -LiteralPath $machine -Recurse -File | ForEach-Object FullName | Should -Be $before
        }
    }

    Context 'Pipeline' {
        It 'answers once per piped finding' {
            $findings = @(
                [pscustomobject]@{ Setting = 'user.max_user_namespaces'; RecommendedValue = '0' }
                [pscustomobject]@{ Setting = 'user.max_user_namespaces'; RecommendedValue = '1' }
            )
            $findings | Test-UsernsSetting -Root $machine | Should -Be @($true, $false)
        }
    }

    Context 'Errors' {
        It 'stops with RootNotFound (ObjectNotFound) for a -Root that does not exist' {
            $missing = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-no-such-root-$PID"
            $record = { Test-UsernsSetting user.max_user_namespaces 0 -Root $missing -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId 'RootNotFound,*' -PassThru
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $record.TargetObject | Should -Be $missing
        }

        It 'reports an unknown name as UnknownSetting' {
            Test-UsernsSetting -Name kernel.printk -Value 1 -Root $machine -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
            $err[0].FullyQualifiedErrorId | Should -BeLike 'UnknownSetting,*'
        }
    }

    Context 'Completion' {
        It 'offers only the settings it accepts for -Name, and no None for -Scope' {
            $line = 'Test-UsernsSetting -Name user_namespace.'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | Should -BeNullOrEmpty
            $line = 'Test-UsernsSetting -Name user.max_user_namespaces -Value 1 -Scope '
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('Persistent', 'Runtime')
        }
    }
}
