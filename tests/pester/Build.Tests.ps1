#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

# The repository's own entry points, run the way the README says: the Pester runner's CI rule, and from a fresh
# clone `dotnet publish src/UsernsTools -c Release` and `dotnet pwsh ./build.ps1 -Task Build|Docs|Package|Test`, then
# the package installed with PSResourceGet and imported by name, as the module's users do.

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    $scratch = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-build-$PID"
    New-Item -ItemType Directory -Path $scratch -Force | Out-Null

    # The pwsh running this file (the pinned one under test.sh): its host is dotnet when started as `dotnet pwsh`.
    $pwshHost = [Environment]::ProcessPath
    $pwshPrefix = @()
    if ([System.IO.Path]::GetFileNameWithoutExtension($pwshHost) -eq 'dotnet') {
        $pwshPrefix = @(Join-Path $PSHOME 'pwsh.dll')
    }

    # Runs a program in a folder with extra environment variables; returns its exit code and its output as one string.
    function Invoke-Program {
        param(
            [string] $FilePath,
            [string[]] $ArgumentList,
            [string] $WorkingDirectory = $root,
            [hashtable] $Environment = @{}
        )
        $saved = @{}
        foreach ($name in $Environment.Keys) {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $Environment[$name])
        }
        Push-Location -LiteralPath $WorkingDirectory
        try {
            $output = & $FilePath @ArgumentList 2>&1 | Out-String
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output }
        }
        finally {
            Pop-Location
            foreach ($name in $saved.Keys) {
                [Environment]::SetEnvironmentVariable($name, $saved[$name])
            }
        }
    }

    function Invoke-Pwsh {
        param([string[]] $ArgumentList, [string] $WorkingDirectory = $root, [hashtable] $Environment = @{})
        Invoke-Program -FilePath $pwshHost -ArgumentList ($pwshPrefix + $ArgumentList) -WorkingDirectory $WorkingDirectory -Environment $Environment
    }
}

AfterAll {
    Remove-Item -LiteralPath $scratch -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'tools/run-pester.ps1' {
    BeforeAll {
        $suite = Join-Path $scratch 'suite'
        New-Item -ItemType Directory -Path $suite -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $suite 'Sample.Tests.ps1') -Value @'
Describe 'Sample' {
    It 'runs' { 1 | Should -Be 1 }
    It 'needs a tool that is missing' -Skip { throw 'not reached' }
}
'@
        $resultFile = Join-Path $scratch 'pester.txt'
        $runner = Join-Path $root 'tools/run-pester.ps1'
    }

    Context 'A skipped test' {
        It 'counts as skipped outside CI' {
            $run = Invoke-Pwsh @('-NoProfile', '-NonInteractive', '-File', $runner, '-Path', $suite, '-ResultFile', $resultFile) -Environment @{ CI = $null }
            $run.ExitCode | Should -Be 0 -Because $run.Output
            Get-Content -LiteralPath $resultFile | Should -Be '1 0 1'
        }

        It 'counts as failed, by name, in CI' {
            $run = Invoke-Pwsh @('-NoProfile', '-NonInteractive', '-File', $runner, '-Path', $suite, '-ResultFile', $resultFile) -Environment @{ CI = 'true' }
            $run.ExitCode | Should -Be 1 -Because $run.Output
            Get-Content -LiteralPath $resultFile | Should -Be '1 1 0'
            $run.Output | Should -Match 'Sample\.needs a tool that is missing'
        }
    }
}

Describe 'A fresh clone' {
    BeforeAll {
        # The files a clone of this checkout holds: tracked and new files, none of the ignored build output.
        $clone = Join-Path $scratch 'clone'
        # safe.directory: CI runs the tests as root in a checkout that another user owns.
        $listing = Invoke-Program git @('-c', "safe.directory=$root", '-C', $root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard')
        $listing.ExitCode | Should -Be 0 -Because "the fresh clone is made from git's file list: $($listing.Output)"
        foreach ($file in $listing.Output.TrimEnd().Split([char]0, [StringSplitOptions]::RemoveEmptyEntries)) {
            $source = Join-Path $root $file
            if (Test-Path -LiteralPath $source -PathType Leaf) {
                $target = Join-Path $clone $file
                New-Item -ItemType Directory -Path (Split-Path -Parent $target) -Force | Out-Null
                Copy-Item -LiteralPath $source -Destination $target
            }
        }
        $moduleDir = Join-Path $clone "out/UsernsTools/$version"
        $package = Join-Path $clone "out/packages/UsernsTools.$version.nupkg"

        # README: `dotnet tool restore` once, then `dotnet pwsh ./build.ps1 -Task ...`.
        $restore = Invoke-Program dotnet @('tool', 'restore') -WorkingDirectory $clone
        $restore.ExitCode | Should -Be 0 -Because $restore.Output
        function Invoke-Build([string] $Task) {
            Invoke-Program dotnet @('pwsh', '-NoProfile', '-NonInteractive', './build.ps1', '-Task', $Task) -WorkingDirectory $clone
        }
    }

    It 'has no build output before the first build' {
        Join-Path $clone 'out' | Should -Not -Exist
        Join-Path $clone 'tools/HelpGen/obj' | Should -Not -Exist
    }

    It 'publishes the module folder with dotnet publish src/UsernsTools -c Release' {
        $run = Invoke-Program dotnet @('publish', 'src/UsernsTools', '-c', 'Release') -WorkingDirectory $clone
        $run.ExitCode | Should -Be 0 -Because $run.Output
        Join-Path $moduleDir 'UsernsTools.psd1' | Should -Exist
        Join-Path $moduleDir 'UsernsTools.dll' | Should -Exist
        Join-Path $moduleDir 'en-US/UsernsTools.dll-Help.xml' | Should -Exist
    }

    It 'rebuilds the module folder with build.ps1 -Task Build' {
        $stale = Join-Path $moduleDir 'stale.txt'
        Set-Content -LiteralPath $stale -Value 'left by an earlier build'
        $run = Invoke-Build Build
        $run.ExitCode | Should -Be 0 -Because $run.Output
        Join-Path $moduleDir 'UsernsTools.psd1' | Should -Exist
        $stale | Should -Not -Exist
    }

    It 'regenerates the checked-in help from docs/en-US with build.ps1 -Task Docs' {
        $help = Join-Path $clone 'en-US/UsernsTools.dll-Help.xml'
        $expected = Get-Content -LiteralPath (Join-Path $root 'en-US/UsernsTools.dll-Help.xml') -Raw
        Set-Content -LiteralPath $help -Value '<helpItems />'
        $run = Invoke-Build Docs
        $run.ExitCode | Should -Be 0 -Because $run.Output
        Get-Content -LiteralPath $help -Raw | Should -BeExactly $expected
    }

    Context 'build.ps1 -Task Test' {
        # build.ps1 hands the run to test.sh, the one test run that test.sh, .ci/run and CI share (this file is part
        # of it, so the run itself is not repeated here): a test.sh that records how it was called stands in for it.
        BeforeAll {
            $testScript = Join-Path $clone 'test.sh'
            $realTestScript = Get-Content -LiteralPath $testScript -Raw
            $record = Join-Path $scratch 'test-sh-call.txt'
        }

        AfterAll {
            Set-Content -LiteralPath $testScript -Value $realTestScript -NoNewline
        }

        It 'runs test.sh from the clone and fails when it fails (exit <Code>)' -TestCases @(
            @{ Code = 0 }
            @{ Code = 3 }
        ) {
            Remove-Item -LiteralPath $record -Force -ErrorAction SilentlyContinue
            Set-Content -LiteralPath $testScript -Value "#!/usr/bin/env bash`necho `"`$0`" > '$record'`nexit $Code`n"
            $run = Invoke-Build Test
            if ($Code -eq 0) {
                $run.ExitCode | Should -Be 0 -Because $run.Output
            }
            else {
                $run.ExitCode | Should -Not -Be 0 -Because $run.Output
            }
            Get-Content -LiteralPath $record | Should -Be (Join-Path $clone 'test.sh')
        }
    }

    Context 'build.ps1 -Task Package, installed with PSResourceGet' {
        BeforeAll {
            # A home of its own for every pwsh below: PSResourceGet keeps its repositories and CurrentUser modules under
            # HOME, so the user's real configuration and modules are neither read nor changed.
            $isolatedHome = Join-Path $scratch 'home'
            New-Item -ItemType Directory -Path $isolatedHome -Force | Out-Null
            $userModules = Join-Path $isolatedHome '.local/share/powershell/Modules'
            $isolated = @{
                HOME = $isolatedHome; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null
                PSModulePath = $userModules
            }
            $realStore = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet/PSResourceRepository.xml'
            $realStoreHash = if (Test-Path -LiteralPath $realStore) { (Get-FileHash -LiteralPath $realStore).Hash }
        }

        It 'writes out/packages/UsernsTools.<version>.nupkg' {
            $run = Invoke-Build Package
            $run.ExitCode | Should -Be 0 -Because $run.Output
            $package | Should -Exist
        }

        It 'installs from that folder as a repository, then imports by name in a fresh pwsh and runs Get-UsernsStatus' {
            $install = Invoke-Pwsh @('-NoProfile', '-NonInteractive', '-Command', @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name UsernsToolsLocal -Uri '$(Split-Path -Parent $package)' -Trusted
Install-PSResource -Name UsernsTools -Repository UsernsToolsLocal
"@) -Environment $isolated
            $install.ExitCode | Should -Be 0 -Because $install.Output
            Join-Path $userModules "UsernsTools/$version/UsernsTools.psd1" | Should -Exist

            $use = Invoke-Pwsh @('-NoProfile', '-NonInteractive', '-Command', @'
$ErrorActionPreference = 'Stop'
Import-Module UsernsTools
$status = Get-UsernsStatus
(Get-Module UsernsTools).ModuleBase
$status.PSObject.TypeNames[0]
$status.Verdict.ToString()
'@) -Environment $isolated
            $use.ExitCode | Should -Be 0 -Because $use.Output
            $lines = $use.Output.Trim() -split '\r?\n'
            $lines[0] | Should -Be (Join-Path $userModules "UsernsTools/$version")
            $lines[1] | Should -Be 'UsernsTools.Diagnosis.UsernsStatus'
            $lines[2] | Should -BeIn @('Available', 'Limited', 'Unavailable')
        }

        It "leaves the user's own PSResourceGet repositories as they were" {
            $hash = if (Test-Path -LiteralPath $realStore) { (Get-FileHash -LiteralPath $realStore).Hash }
            $hash | Should -Be $realStoreHash
            Join-Path $isolatedHome '.local/share/PSResourceGet/PSResourceRepository.xml' | Should -Exist
        }
    }
}
