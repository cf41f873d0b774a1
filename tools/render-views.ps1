#Requires -Version 7.4
<#
.SYNOPSIS
Renders every default view of UsernsTools.Format.ps1xml from the recorded fixtures in tests/fixtures and writes one
example per view to docs/views/ (or -OutputDirectory), at 120 and at 80 columns, for review.

.DESCRIPTION
The examples are reproducible: every object comes from a fixture (recorded snapshots, a kernel log, a journal, recorded
sandbox results), the culture is the invariant one and local time is UTC while rendering. A test in
tests/UsernsTools.Module.Tests renders them again and compares, so a change to a view must come with its examples:
run `dotnet pwsh tools/render-views.ps1` after publishing the module (tools/module-check.sh) and commit docs/views/.
#>
[CmdletBinding()]
param(
    # Where the examples are written; docs/views of the repository by default.
    [string]
    $OutputDirectory,

    # The module to render with; the built folder out/UsernsTools/<version>/ by default.
    [string]
    $ModulePath
)

$ErrorActionPreference = 'Stop'
$root = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..')).Path
if (-not $OutputDirectory) {
    $OutputDirectory = Join-Path $root 'docs/views'
}
if (-not $ModulePath) {
    $version = (Import-PowerShellDataFile -LiteralPath (Join-Path $root 'UsernsTools.psd1')).ModuleVersion
    $ModulePath = Join-Path $root "out/UsernsTools/$version/UsernsTools.psd1"
}
Import-Module -Name $ModulePath

$fixtures = Join-Path $root 'tests/fixtures'

# Recorded sandbox results (NamespacedProcessResult, ProcessNamespace) are read with the engine's own JSON reader,
# the one the CLI writes them with.
function Read-Recorded([string] $Name, [type] $Type) {
    $context = $Type.Assembly.GetType('UsernsTools.Serialization.UsernsJsonContext', $true).GetProperty('Default').GetValue($null)
    [System.Text.Json.JsonSerializer]::Deserialize((Get-Content -LiteralPath (Join-Path $fixtures $Name) -Raw), $Type, $context)
}

function Get-Status([string] $Fixture) {
    Get-UsernsStatus -FromReport (Join-Path $fixtures "$Fixture.json")
}

$previousCulture = [cultureinfo]::CurrentCulture
$previousTz = $env:TZ
try {
    # Dates print the same on every machine: invariant culture, local time = UTC (the denial view shows local time).
    [cultureinfo]::CurrentCulture = [cultureinfo]::InvariantCulture
    $env:TZ = 'UTC'
    [System.TimeZoneInfo]::ClearCachedData()

    $uidMap = Get-Status 'ubuntu-24.04-bwrap-uid-map'
    $statuses = Get-ChildItem -LiteralPath $fixtures -Filter '*.json' | Sort-Object Name | ForEach-Object { Get-UsernsStatus -FromReport $_.FullName }
    $journal = Join-Path $fixtures 'journal'
    $examples = [ordered]@{
        'UsernsStatus.table'            = @{ Command = 'Get-ChildItem tests/fixtures/*.json | ForEach-Object { Get-UsernsStatus -FromReport $_ }'; Objects = $statuses }
        'UsernsStatus.list'             = @{ Command = 'Get-UsernsStatus -FromReport tests/fixtures/ubuntu-24.04-bwrap-uid-map.json | Format-List'; Objects = $uidMap; List = $true }
        'UsernsFinding.table'           = @{ Command = '(Get-ChildItem tests/fixtures/*.json | ForEach-Object { Get-UsernsStatus -FromReport $_ }).Findings'; Objects = $statuses.Findings }
        'UsernsFinding.list'            = @{ Command = '(Get-UsernsStatus -FromReport tests/fixtures/ubuntu-24.04-bwrap-uid-map.json).Findings | Format-List'; Objects = $uidMap.Findings; List = $true }
        'UsernsSetting.table'           = @{ Command = '(Get-UsernsStatus -FromReport tests/fixtures/rhel-9-stig-hardened.json).Facts.Settings'; Objects = (Get-Status 'rhel-9-stig-hardened').Facts.Settings }
        'UsernsSetting.list'            = @{ Command = '(Get-UsernsStatus -FromReport tests/fixtures/rhel-9-stig-hardened.json).Facts.Settings | Select-Object -First 1 | Format-List'; Objects = (Get-Status 'rhel-9-stig-hardened').Facts.Settings | Select-Object -First 1; List = $true }
        'UsernsProbeResult.table'       = @{ Command = '(Get-UsernsStatus -FromReport tests/fixtures/ubuntu-24.04-bwrap-uid-map.json).Probes'; Objects = $uidMap.Probes }
        'UsernsProbeResult.list'        = @{ Command = '(Get-UsernsStatus -FromReport tests/fixtures/ubuntu-24.04-bwrap-uid-map.json).Probes | Select-Object -First 2 | Format-List'; Objects = $uidMap.Probes | Select-Object -First 2; List = $true }
        'BwrapProbeResult.table'        = @{ Command = '(Get-UsernsStatus -FromReport tests/fixtures/ubuntu-24.04-bwrap-uid-map.json).BwrapProbes'; Objects = $uidMap.BwrapProbes }
        'BwrapProbeResult.list'         = @{ Command = '(Get-UsernsStatus -FromReport tests/fixtures/ubuntu-24.04-bwrap-uid-map.json).BwrapProbes | Select-Object -First 1 | Format-List'; Objects = $uidMap.BwrapProbes | Select-Object -First 1; List = $true }
        'SubordinateIdRange.table'      = @{ Command = '$facts = (Get-UsernsStatus -FromReport tests/fixtures/subuid-overlapping.json).Facts; $facts.SubordinateUids + $facts.SubordinateGids'; Objects = @((Get-Status 'subuid-overlapping').Facts.SubordinateUids) + @((Get-Status 'subuid-overlapping').Facts.SubordinateGids) }
        'UsernsDenial.table'            = @{ Command = 'Get-UsernsDenial -Path tests/fixtures/logs/ubuntu-24.04-kernel.log'; Objects = Get-UsernsDenial -Path (Join-Path $fixtures 'logs/ubuntu-24.04-kernel.log') }
        'UsernsDenial.list'             = @{ Command = 'Get-UsernsDenial -Path tests/fixtures/logs/ubuntu-24.04-kernel.log | Select-Object -First 2 | Format-List'; Objects = Get-UsernsDenial -Path (Join-Path $fixtures 'logs/ubuntu-24.04-kernel.log') | Select-Object -First 2; List = $true }
        'UsernsChange.table'            = @{ Command = '(Get-UsernsBackup -Root tests/fixtures/journal).Changes'; Objects = (Get-UsernsBackup -Root $journal).Changes }
        'UsernsChange.list'             = @{ Command = '(Get-UsernsBackup -Root tests/fixtures/journal).Changes | Select-Object -First 2 | Format-List'; Objects = (Get-UsernsBackup -Root $journal).Changes | Select-Object -First 2; List = $true }
        'UsernsBackup.table'            = @{ Command = 'Get-UsernsBackup -Root tests/fixtures/journal'; Objects = Get-UsernsBackup -Root $journal }
        'NamespacedProcessResult.table' = @{ Command = "Invoke-NamespacedProcess -FilePath /bin/sh -ArgumentList '-c', 'exit 3' -Namespace User, Pid, Mount -MapRootUser -PassThru (recorded)"; Objects = Read-Recorded 'sandbox/namespaced-process-result.json' ([UsernsTools.Sandbox.NamespacedProcessResult]) }
        'NamespacedProcessResult.list'  = @{ Command = "Invoke-NamespacedProcess -FilePath /bin/sh -ArgumentList '-c', 'exit 3' -Namespace User, Pid, Mount -MapRootUser -PassThru | Format-List (recorded)"; Objects = Read-Recorded 'sandbox/namespaced-process-result.json' ([UsernsTools.Sandbox.NamespacedProcessResult]); List = $true }
        'ProcessNamespace.table'        = @{ Command = 'Get-ProcessNamespace -Id <pid of a process in new user, pid, uts and mount namespaces> (recorded)'; Objects = Read-Recorded 'sandbox/process-namespace.json' ([UsernsTools.Sandbox.ProcessNamespace]) }
    }

    New-Item -ItemType Directory -Path $OutputDirectory -Force | Out-Null
    foreach ($name in $examples.Keys) {
        $example = $examples[$name]
        $text = [System.Collections.Generic.List[string]]::new()
        foreach ($width in @(120, 80)) {
            $text.Add(('PS> {0}   # Out-String -Width {1}' -f $example.Command, $width))
            if ($example.List) {
                $text.Add(($example.Objects | Format-List | Out-String -Width $width))
            }
            else {
                $text.Add(($example.Objects | Out-String -Width $width))
            }
        }
        # Trailing blanks are how the formatter pads columns, not content: drop them so the files diff cleanly. Paths
        # read from the fixtures (a denial's Origin) are shown relative to the repository, wherever it is checked out.
        $joined = ($text -join "`n").Replace("$root/", '')
        $lines = $joined -split "`r?`n" | ForEach-Object { $_.TrimEnd() }
        $content = (($lines -join "`n").Trim("`n")) + "`n"
        [System.IO.File]::WriteAllText((Join-Path $OutputDirectory "$name.txt"), $content, [System.Text.UTF8Encoding]::new($false))
    }
}
finally {
    [cultureinfo]::CurrentCulture = $previousCulture
    $env:TZ = $previousTz
    [System.TimeZoneInfo]::ClearCachedData()
}
