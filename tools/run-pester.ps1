#Requires -Version 7.4
<#
.SYNOPSIS
Runs the Pester tests of tests/pester against the built module in out/ and, with -ResultFile, writes
"passed failed skipped" to that file for the repository's test script.

.DESCRIPTION
Pester is the version pinned in tools/requirements.psd1, restored as a NuGet package by tools/TestTools
(`dotnet restore tools/TestTools`) and imported from the packages folder that restore used: no
PowerShell Gallery, no Install-Module. Run it with the pinned pwsh (`dotnet pwsh`).
#>
[CmdletBinding()]
param(
    [string]
    $ResultFile,

    # Only the test files whose names match (e.g. 'Get-UsernsStatus'); all by default.
    [string[]]
    $Name
)

$ErrorActionPreference = 'Stop'
$root = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..')).Path

$pesterVersion = (Import-PowerShellDataFile -LiteralPath (Join-Path $root 'tools/requirements.psd1')).Pester
$assets = Join-Path $root 'tools/TestTools/obj/project.assets.json'
if (-not (Test-Path -LiteralPath $assets)) {
    & dotnet restore (Join-Path $root 'tools/TestTools') -nologo | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet restore tools/TestTools failed with exit code $LASTEXITCODE."
    }
}

$folders = (Get-Content -LiteralPath $assets -Raw | ConvertFrom-Json -AsHashtable).packageFolders.Keys
$pesterManifest = $folders |
    ForEach-Object { Join-Path $_ "pester/$pesterVersion/tools/Pester.psd1" } |
    Where-Object { Test-Path -LiteralPath $_ } |
    Select-Object -First 1
if (-not $pesterManifest) {
    throw "Pester $pesterVersion is not in the restored packages ($($folders -join ', ')): run 'dotnet restore tools/TestTools'."
}
Import-Module -Name $pesterManifest -RequiredVersion $pesterVersion

$configuration = New-PesterConfiguration
$configuration.Run.Path = Join-Path $root 'tests/pester'
if ($Name) {
    $configuration.Run.Path = @($Name | ForEach-Object { Join-Path $root "tests/pester/$_.Tests.ps1" })
}
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $configuration

if ($ResultFile) {
    # Tests that could not run (a failed BeforeAll, a container that did not load) count as failed, not as absent.
    $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Set-Content -LiteralPath $ResultFile -Value "$($result.PassedCount) $failed $($result.SkippedCount + $result.NotRunCount)"
}
exit ([int]($result.Result -ne 'Passed'))
