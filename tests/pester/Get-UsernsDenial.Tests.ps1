#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    Import-Module -Name "$root/out/UsernsTools/$version/UsernsTools.psd1" -Force
    $log = Join-Path $root 'tests/fixtures/logs/ubuntu-24.04-kernel.log'
}

Describe 'Get-UsernsDenial' {
    Context 'Reading files' {
        It 'returns one denial per user namespace line of the log' {
            $denials = @(Get-UsernsDenial -Path $log)
            $denials | Should -HaveCount 4
            $denials | Should -BeOfType ([UsernsTools.Facts.Denials.UsernsDenial])
            $denials.Kind | Should -Contain 'AppArmorMapWriteDenied'
            $denials | ForEach-Object { $_.Meaning | Should -Not -BeNullOrEmpty }
        }

        It 'keeps only events since <Since>' -TestCases @(
            @{ Since = [datetime]::new(2025, 1, 14, 0, 0, 0, [System.DateTimeKind]::Utc); Expected = 3 }
            @{ Since = [datetime]::new(2025, 1, 15, 0, 0, 0, [System.DateTimeKind]::Utc); Expected = 0 }
        ) {
            @(Get-UsernsDenial -Path $log -Since $Since) | Should -HaveCount $Expected
        }

        It 'stops reading when the pipeline has what it wants' {
            @(Get-UsernsDenial -Path $log, $log | Select-Object -First 1) | Should -HaveCount 1
        }
    }

    Context 'Errors' {
        It 'writes <ErrorId> for <Kind> and still reads the other files' -TestCases @(
            @{ Kind = 'a missing file'; Bad = '/nonexistent/usernstools.log'; ErrorId = 'LogNotFound'; Category = 'ObjectNotFound' }
            @{ Kind = 'a directory'; Bad = '/'; ErrorId = 'LogIsDirectory'; Category = 'InvalidArgument' }
        ) {
            $denials = @(Get-UsernsDenial -Path $Bad, $log -ErrorVariable err -ErrorAction SilentlyContinue)
            $denials | Should -HaveCount 4
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $err[0].CategoryInfo.Category | Should -Be $Category
            $err[0].TargetObject | Should -Be $Bad
        }
    }

    Context 'Display' {
        It 'shows time and kind first, also after remoting serialisation' -TestCases @(
            @{ Remote = $false }
            @{ Remote = $true }
        ) {
            $denials = Get-UsernsDenial -Path $log
            if ($Remote) {
                $denials = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($denials))
            }
            $header = ($denials | Format-Table | Out-String).Trim() -split "`n" | Select-Object -First 1
            $header | Should -Match '^Time\s+Kind\s+ProcessName'
        }
    }
}
