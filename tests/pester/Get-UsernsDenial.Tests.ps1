#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    Import-Module -Name "$root/out/UsernsTools/$version/UsernsTools.psd1" -Force
    $log = Join-Path $root 'tests/fixtures/logs/ubuntu-24.04-kernel.log'

    # Logs copied from several machines: two matching *.log, one whose name has wildcard characters, one that is no log.
    $logs = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-denial-$PID"
    New-Item -ItemType Directory -Path $logs -Force | Out-Null
    Copy-Item -LiteralPath $log -Destination (Join-Path $logs 'host1.log')
    Copy-Item -LiteralPath $log -Destination (Join-Path $logs 'host2.log')
    Copy-Item -LiteralPath $log -Destination (Join-Path $logs 'host[3].txt')
    Set-Content -LiteralPath (Join-Path $logs 'notes.md') -Value 'not a log'
}

AfterAll {
    Remove-Item -LiteralPath $logs -Recurse -Force -ErrorAction SilentlyContinue
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

    Context 'Files from the pipeline and wildcards' {
        It 'reads each file piped in by <Source>' -TestCases @(
            @{ Source = 'Get-ChildItem (PSPath to -LiteralPath)'; Files = { Get-ChildItem -LiteralPath $logs -Filter '*.log' } }
            @{ Source = 'Resolve-Path (Path)'; Files = { Resolve-Path -Path (Join-Path $logs '*.log') } }
            @{ Source = 'an object with a LiteralPath alias'; Files = { [pscustomobject]@{ LP = Join-Path $logs 'host1.log' }, [pscustomobject]@{ LP = Join-Path $logs 'host2.log' } } }
        ) {
            $denials = @(& $Files | Get-UsernsDenial -ErrorVariable err)
            $err | Should -HaveCount 0
            $denials | Should -HaveCount 8
            ($denials | Select-Object -First 1) | Should -BeOfType ([UsernsTools.Facts.Denials.UsernsDenial])
        }

        It 'expands -Path wildcards relative to the current location' {
            Push-Location -LiteralPath $logs
            try {
                $denials = @(Get-UsernsDenial -Path '*.log' -ErrorVariable err)
            }
            finally {
                Pop-Location
            }
            $err | Should -HaveCount 0
            $denials | Should -HaveCount 8
        }

        It 'takes -LiteralPath as written, wildcard characters and all' {
            @(Get-UsernsDenial -LiteralPath (Join-Path $logs 'host[3].txt')) | Should -HaveCount 4
        }

        It 'reports a -Path pattern that matches nothing and reads no other log' {
            $denials = @(Get-UsernsDenial -Path (Join-Path $logs 'none*.log') -ErrorVariable err -ErrorAction SilentlyContinue)
            $denials | Should -HaveCount 0
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'LogNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'documents -Path as accepting wildcards and -LiteralPath as taking PSPath' {
            (Get-Help Get-UsernsDenial -Parameter Path).globbing | Should -Be 'true'
            $literal = Get-Help Get-UsernsDenial -Parameter LiteralPath
            $literal.globbing | Should -Be 'false'
            $literal.aliases | Should -Be 'PSPath, LP'
            $literal.pipelineInput | Should -Be 'true (ByPropertyName)'
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
