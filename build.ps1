#Requires -Version 7.4
<#
.SYNOPSIS
Builds, tests, documents and packages the UsernsTools module.

.DESCRIPTION
Build publishes the module folder out/UsernsTools/<version>/ with dotnet publish (the version comes from
UsernsTools.psd1). Test builds, runs tools/module-check.sh, the xunit suites, and the Pester tests in a fresh
pwsh (a binary module cannot be unloaded from the session that imported it). Docs rebuilds the checked-in
en-US/ help from docs/en-US. Package builds and writes the PowerShell Gallery .nupkg to out/packages/.

.EXAMPLE
./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package')]
    [string[]]
    $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string]
    $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$manifest = Import-PowerShellDataFile -Path (Join-Path $root 'UsernsTools.psd1')
$version = $manifest.ModuleVersion
$moduleDir = Join-Path $root "out/UsernsTools/$version"

function Invoke-Native {
    param([string] $FilePath, [string[]] $ArgumentList)
    Write-Verbose "$FilePath $($ArgumentList -join ' ')"
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "$FilePath $($ArgumentList -join ' ') failed with exit code $LASTEXITCODE."
    }
}

function Invoke-Build {
    if (Test-Path -LiteralPath $moduleDir) {
        Remove-Item -LiteralPath $moduleDir -Recurse -Force
    }
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/UsernsTools/UsernsTools.csproj'), '-c', $Configuration, '-nologo')
    Write-Host "Module folder: $moduleDir"
}

function Invoke-Docs {
    Invoke-Native dotnet @('run', '--project', (Join-Path $root 'tools/HelpGen/HelpGen.csproj'), '-c', $Configuration, '--',
        (Join-Path $root 'docs/en-US'), (Join-Path $root 'en-US'))
}

function Invoke-Test {
    Invoke-Native bash @((Join-Path $root 'tools/module-check.sh'))
    Invoke-Native dotnet @('build', (Join-Path $root 'UsernsTools.sln'), '-c', $Configuration, '-nologo')
    foreach ($project in Get-ChildItem -Path (Join-Path $root 'tests') -Filter '*.Tests.csproj' -Recurse) {
        Invoke-Native dotnet @('test', $project.FullName, '-c', $Configuration, '--no-build', '-nologo')
    }
    # A fresh process: the module under test must be imported from out/, never from this session.
    $pwsh = (Get-Process -Id $PID).Path
    Invoke-Native $pwsh @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'tools/run-pester.ps1'))
}

function Invoke-Package {
    Invoke-Build
    $packages = Join-Path $root 'out/packages'
    New-Item -ItemType Directory -Path $packages -Force | Out-Null
    $repository = "UsernsToolsLocal$PID"
    Register-PSResourceRepository -Name $repository -Uri $packages -Trusted
    try {
        Publish-PSResource -Path $moduleDir -Repository $repository
    }
    finally {
        Unregister-PSResourceRepository -Name $repository
    }
    Get-ChildItem -Path $packages -Filter "UsernsTools.$version.nupkg"
}

foreach ($name in $Task) {
    Write-Host "== $name" -ForegroundColor Cyan
    switch ($name) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Docs' { Invoke-Docs }
        'Package' { Invoke-Package }
    }
}
