#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

# Which build of the engine a fresh session binds on Import-Module: on .NET 10 and later (this pwsh) the precompiled
# net10.0 build from net10.0/, chosen by the nested module UsernsTools.Loader before pwsh lists the cmdlets; the
# net8.0 build beside UsernsTools.dll when that file is missing. Each case runs in a session of its own (Start-Job),
# because an assembly, once loaded, stays for the life of the process.

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    $moduleDir = "$root/out/UsernsTools/$version"
    $report = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-import-$PID.json"
    Set-Content -LiteralPath $report -Value '{ "schemaVersion": 1, "facts": { "hostname": "recorded-host", "subject": { "user": "alice", "uid": 1000, "gid": 1000 } }, "probes": [] }'

    # Imports the module folder in a new session and answers what a user would see, and which engine file served it.
    function Import-InNewSession([string] $Manifest) {
        Start-Job -ScriptBlock {
            param($Manifest, $Report)
            Import-Module $Manifest
            $status = Get-UsernsStatus -FromReport $Report
            [pscustomobject]@{
                Engine   = $status.GetType().Assembly.Location
                Engines  = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'UsernsTools.Core' }).Count
                Runtime  = [Environment]::Version.Major
                Verdict  = "$($status.Verdict)"
                Subject  = $status.Subject.User
                Commands = @(Get-Command -Module UsernsTools).Count
            }
        } -ArgumentList $Manifest, $report | Receive-Job -Wait -AutoRemoveJob
    }
}

AfterAll {
    Remove-Item -LiteralPath $report -Force -ErrorAction SilentlyContinue
}

Describe 'Import-Module UsernsTools' {
    It 'binds the precompiled net10.0 engine on this .NET 10 pwsh, once, and every cmdlet works with it' {
        $seen = Import-InNewSession "$moduleDir/UsernsTools.psd1"

        $seen.Runtime | Should -BeGreaterOrEqual 10
        $seen.Engine | Should -Be ([System.IO.Path]::Combine($moduleDir, 'net10.0', 'UsernsTools.Core.dll'))
        $seen.Engines | Should -Be 1
        $seen.Subject | Should -Be 'alice'
        $seen.Commands | Should -Be 14
    }

    It 'binds the net8.0 engine beside the module when the precompiled one is not there' {
        $copy = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-import-$PID/UsernsTools/$version"
        New-Item -ItemType Directory -Path $copy -Force | Out-Null
        try {
            Copy-Item -Path "$moduleDir/*" -Destination $copy -Recurse -Force
            Remove-Item -LiteralPath (Join-Path $copy 'net10.0') -Recurse -Force

            $seen = Import-InNewSession "$copy/UsernsTools.psd1"

            $seen.Engine | Should -Be (Join-Path $copy 'UsernsTools.Core.dll')
            $seen.Subject | Should -Be 'alice'
            $seen.Commands | Should -Be 14
        }
        finally {
            Remove-Item -LiteralPath (Split-Path (Split-Path $copy)) -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'keeps the engine a session already has: a second import after Remove-Module works on the same one' {
        $seen = Start-Job -ScriptBlock {
            param($Manifest, $Report)
            Import-Module $Manifest
            $first = (Get-UsernsStatus -FromReport $Report).GetType().Assembly.Location
            Remove-Module UsernsTools
            Import-Module $Manifest -Force
            [pscustomobject]@{
                First  = $first
                Second = (Get-UsernsStatus -FromReport $Report).GetType().Assembly.Location
            }
        } -ArgumentList "$moduleDir/UsernsTools.psd1", $report | Receive-Job -Wait -AutoRemoveJob

        $seen.Second | Should -Be $seen.First
    }
}
