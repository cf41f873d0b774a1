#Requires -Version 7.4
<#
.SYNOPSIS
Runs the Pester tests of tests/pester against the built module in out/ and, with -ResultFile, writes
"passed failed skipped" to that file for the repository's test script.
#>
[CmdletBinding()]
param(
    [string]
    $ResultFile
)

$ErrorActionPreference = 'Stop'

$pester = Get-Module -ListAvailable -Name Pester | Where-Object Version -GE ([version]'5.5.0') | Sort-Object Version -Descending | Select-Object -First 1
if (-not $pester) {
    Write-Error 'Pester 5.5 or later is required: Install-Module Pester -MinimumVersion 5.5.0 -Scope CurrentUser'
    exit 1
}
Import-Module $pester

$configuration = New-PesterConfiguration
$configuration.Run.Path = Join-Path $PSScriptRoot '../tests/pester'
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $configuration

if ($ResultFile) {
    Set-Content -LiteralPath $ResultFile -Value "$($result.PassedCount) $($result.FailedCount) $($result.SkippedCount)"
}
exit ([int]($result.FailedCount -gt 0))
