#Requires -Version 7.4
<#
.SYNOPSIS
Runs the Pester tests of tests/pester against the built module in out/ and, with -ResultFile, writes
"passed failed skipped" to that file for the repository's test script.

.DESCRIPTION
Pester is the version pinned in tools/requirements.psd1, restored as a NuGet package by tools/TestTools
(`dotnet restore tools/TestTools`) and imported from the packages folder that restore used: no
PowerShell Gallery, no Install-Module. Run it with the pinned pwsh (`dotnet pwsh`).

In CI (the environment variable CI is 'true') a test that did not run counts as failed, as for the xunit suites:
Pester tests skip only when a prerequisite is missing (a tool, sshd, root), and CI installs every prerequisite
of the suite, so a skip there hides a broken machine instead of reporting it. The tests counted this way are
listed after Pester's summary, the exit code is 1, and the result file counts them as failed.

.EXAMPLE
dotnet pwsh -NoProfile -NonInteractive -File tools/run-pester.ps1 -Name Get-UsernsStatus

.EXAMPLE
CI=true dotnet pwsh -NoProfile -NonInteractive -File tools/run-pester.ps1 -ResultFile pester.txt
#>
[CmdletBinding()]
param(
    [string]
    $ResultFile,

    # Only the test files whose names match (e.g. 'Get-UsernsStatus'); all by default.
    [string[]]
    $Name,

    # Test files or folders to run instead of tests/pester.
    [string[]]
    $Path
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
if ($Path) {
    $configuration.Run.Path = $Path
}
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $configuration

# Tests that could not run (a failed BeforeAll, a container that did not load) count as failed, not as absent.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
$notRun = @($result.Skipped) + @($result.NotRun)
$skipped = $notRun.Count
if ($env:CI -eq 'true' -and $skipped -gt 0) {
    Write-Host "CI: $skipped test(s) did not run; CI installs every prerequisite of the suite, so each counts as failed:" -ForegroundColor Red
    foreach ($test in $notRun) {
        Write-Host "  [!] $($test.ExpandedPath)" -ForegroundColor Red
    }
    $failed += $skipped
    $skipped = 0
}

if ($ResultFile) {
    Set-Content -LiteralPath $ResultFile -Value "$($result.PassedCount) $failed $skipped"
}
exit ([int]($result.Result -ne 'Passed' -or $failed -gt 0))
