#Requires -Version 7.4
<#
.SYNOPSIS
Builds, tests, documents and packages the UsernsTools module.

.DESCRIPTION
Build publishes the module folder out/UsernsTools/<version>/ with dotnet publish (the version comes from
UsernsTools.psd1). Test runs test.sh, the repository's one test run: it installs the test prerequisites when
missing, restores the pinned pwsh (.config/dotnet-tools.json) and Pester (tools/requirements.psd1), builds,
runs the xunit suites and then the Pester suite in the pinned pwsh, whichever pwsh runs this script. Docs
rebuilds the checked-in en-US/ help from docs/en-US. Package builds and writes the PowerShell Gallery .nupkg to
out/packages/UsernsTools.<version>.nupkg (Compress-PSResource: no repository is registered). Native publishes
the usernstools command with NativeAOT for each -Runtime (default: this machine's) into out/usernstools/<rid>/;
for the other architecture it cross-compiles, which needs that architecture's toolchain (see README.md).

Run it through the pinned pwsh from a clone: `dotnet tool restore`, then `dotnet pwsh ./build.ps1 -Task ...`.

.EXAMPLE
dotnet pwsh ./build.ps1 -Task Build, Docs

.EXAMPLE
dotnet pwsh ./build.ps1 -Task Test

.EXAMPLE
dotnet pwsh ./build.ps1 -Task Native -Runtime linux-x64, linux-arm64
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package', 'Native')]
    [string[]]
    $Task = 'Build',

    # For Native: the runtimes to publish the command for.
    [ValidateSet('linux-x64', 'linux-arm64')]
    [string[]]
    $Runtime = $(if ([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'Arm64') { 'linux-arm64' } else { 'linux-x64' }),

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
    # One test run for every entry point (this task, ./test.sh, .ci/run, the workflow): the same pinned tools, the
    # same suites, the same "N passed, N failed, N skipped" line. Its Pester part runs in a fresh pinned pwsh, so
    # the module under test is imported from out/, never into this session.
    Invoke-Native bash @((Join-Path $root 'test.sh'))
}

function Invoke-Package {
    Invoke-Build
    $packages = Join-Path $root 'out/packages'
    New-Item -ItemType Directory -Path $packages -Force | Out-Null
    $package = Join-Path $packages "UsernsTools.$version.nupkg"
    if (Test-Path -LiteralPath $package) {
        Remove-Item -LiteralPath $package -Force
    }
    # Compress-PSResource writes the same .nupkg Publish-PSResource would push, without registering a repository
    # in the user's PSResourceGet configuration.
    Compress-PSResource -Path $moduleDir -DestinationPath $packages
    Get-Item -LiteralPath $package
}

function Invoke-NativeCommand {
    foreach ($rid in $Runtime) {
        $output = Join-Path $root "out/usernstools/$rid"
        # NativeOnly: the NativeAOT target alone, so a cross build needs no .NET 8 runtime pack for the other architecture.
        Invoke-Native dotnet @('publish', (Join-Path $root 'src/UsernsTools.Cli/UsernsTools.Cli.csproj'), '-c', $Configuration,
            '-f', 'net10.0', '-r', $rid, '-p:NativeOnly=true', '-o', $output, '-nologo')
        Get-Item -LiteralPath (Join-Path $output 'usernstools')
    }
}

foreach ($name in $Task) {
    Write-Host "== $name" -ForegroundColor Cyan
    switch ($name) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Docs' { Invoke-Docs }
        'Package' { Invoke-Package }
        'Native' { Invoke-NativeCommand }
    }
}
