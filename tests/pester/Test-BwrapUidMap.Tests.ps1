#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeDiscovery {
    # The masked /proc recipe needs a user namespace for the caller; a host that keeps unprivileged users from making
    # one cannot run it for them (root always can). unshare and bwrap themselves are installed before the tests.
    $restricted = $false
    if ((id -u) -ne '0') {
        $restricted = (Get-Content -LiteralPath /proc/sys/user/max_user_namespaces -ErrorAction SilentlyContinue) -eq '0' -or
            (Get-Content -LiteralPath /proc/sys/kernel/unprivileged_userns_clone -ErrorAction SilentlyContinue) -eq '0' -or
            (Get-Content -LiteralPath /proc/sys/kernel/apparmor_restrict_unprivileged_userns -ErrorAction SilentlyContinue) -eq '1'
    }
}

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    Import-Module -Name "$root/out/UsernsTools/$version/UsernsTools.psd1" -Force
    $hasBwrap = [bool](Get-Command -Name bwrap -CommandType Application -ErrorAction SilentlyContinue)
}

Describe 'Test-BwrapUidMap' {
    Context 'Probe results' {
        It 'runs the <Mode> probe' -TestCases @(
            @{ Mode = 'Strict' }
            @{ Mode = 'Try' }
            @{ Mode = 'Network' }
            @{ Mode = 'Proc' }
            @{ Mode = 'Flatpak' }
        ) {
            $results = Test-BwrapUidMap -ProbeTimeout 10
            $results | Should -BeOfType ([UsernsTools.Probes.Bwrap.BwrapProbeResult])
            $probe = $results | Where-Object Mode -EQ $Mode
            $probe | Should -HaveCount 1
            if ($probe.Succeeded) {
                $probe.ErrorKind | Should -Be 'None'
            }
            else {
                $probe.ErrorKind | Should -Not -Be 'None'
                $probe.LikelyCause | Should -Not -BeNullOrEmpty
            }
        }

        It 'stops with BwrapPathNotExecutable for a -BwrapPath that is <Kind>, not NotInstalled' -TestCases @(
            @{ Kind = 'a directory'; Make = { param($Path) New-Item -ItemType Directory -Path $Path | Out-Null }; Problem = 'is a directory' }
            @{ Kind = 'a file no one may execute'; Make = { param($Path) Set-Content -LiteralPath $Path -Value '#!/bin/sh'; & chmod 644 $Path }; Problem = 'has no execute permission (mode 0644)' }
        ) {
            $path = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-bwrappath-$([guid]::NewGuid().ToString('n'))"
            & $Make $path
            try {
                # It said "bwrap was not found" and blamed a missing bubblewrap package.
                $record = { Test-BwrapUidMap -BwrapPath $path } | Should -Throw -ErrorId 'BwrapPathNotExecutable,*' -PassThru
                $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
                $record.Exception.Message | Should -Be "'$path' $($Problem): give the path of a bwrap program."
            }
            finally {
                Remove-Item -LiteralPath $path -Recurse -Force
            }
        }

        It 'says NotInstalled, not an error, for a bwrap that does not exist' {
            $results = Test-BwrapUidMap -BwrapPath '/nonexistent/bwrap' -ErrorVariable err
            $err | Should -HaveCount 0
            $results.ErrorKind | Sort-Object -Unique | Should -Be 'NotInstalled'
        }
    }

    Context 'A masked /proc, as in a container' -Skip:$restricted {
        BeforeAll {
            # A fresh pwsh inside the recipe of KernelRecipes.MaskedProc: new user, mount and pid namespaces, /dev/null
            # bound over /proc/keys as Docker and Podman do. The module cannot be unloaded, so it runs in its own process.
            $pwsh = @([Environment]::ProcessPath)
            if ((Split-Path -Leaf $pwsh[0]) -like 'dotnet*') {
                $pwsh += [Environment]::GetCommandLineArgs()[0]
            }
            $manifest = "$root/out/UsernsTools/$version/UsernsTools.psd1"
            $script = "Import-Module -Name '$manifest'; @{ Probes = @(Test-BwrapUidMap | Select-Object Mode, Succeeded, ErrorKind, Message, LikelyCause); Quiet = Test-BwrapUidMap -Quiet } | ConvertTo-Json -EnumsAsStrings -Depth 3"
            $recipe = @('--user', '--map-root-user', '--mount', '--pid', '--fork', '--mount-proc', 'sh', '-c', 'mount --bind /dev/null /proc/keys && exec "$@"', 'sh')
            $output = & unshare @recipe @pwsh -NoProfile -NonInteractive -Command $script 2>&1
            $exitCode = $LASTEXITCODE
            $text = $output | Out-String
            $answer = ($output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | Out-String) | ConvertFrom-Json
            $results = $answer.Probes
            $quiet = $answer.Quiet
        }

        It 'says <Mode> fails with the message Flatpak meets, not ok' -TestCases @(
            @{ Mode = 'Proc' }
            @{ Mode = 'Flatpak' }
        ) {
            $exitCode | Should -Be 0 -Because $text
            $probe = $results | Where-Object Mode -EQ $Mode
            $probe.Succeeded | Should -BeFalse -Because "a new procfs is refused in a masked /proc"
            $probe.ErrorKind | Should -Be 'ProcMountDenied'
            $probe.Message | Should -Be "Can't mount proc on /newroot/proc: Operation not permitted"
            $probe.LikelyCause | Should -Match '/proc/keys'
        }

        It 'still answers -Quiet with the strict probe, which maps the subject' {
            ($results | Where-Object Mode -EQ Strict).Succeeded | Should -BeTrue
            $quiet | Should -BeTrue
        }
    }

    Context '-Quiet' {
        It 'returns one Boolean that agrees with the strict probe' {
            $answer = @(Test-BwrapUidMap -Quiet)
            $answer | Should -HaveCount 1
            $answer[0] | Should -BeOfType ([bool])
            $strict = Test-BwrapUidMap | Where-Object Mode -EQ Strict
            $answer[0] | Should -Be ([bool]($strict.Succeeded -and $strict.UidMapped))
        }

        It 'answers $false when bwrap is missing' {
            Test-BwrapUidMap -BwrapPath '/nonexistent/bwrap' -Quiet | Should -BeFalse
        }
    }

    Context 'Pipeline input by property name' {
        It 'probes the user of a piped <Source>' -TestCases @(
            @{ Source = 'object with a User property'; Make = { [pscustomobject]@{ User = 'nobody' } } }
            @{ Source = 'status subject'; Make = { (Get-UsernsStatus -NoProbe -User nobody).Subject } }
        ) {
            $answer = @(& $Make | Test-BwrapUidMap -Quiet)
            $answer | Should -HaveCount 1
            $answer[0] | Should -BeOfType ([bool])
        }
    }

    Context 'Errors' {
        It 'writes a non-terminating error for an unknown user<Suffix>' -TestCases @(
            @{ Suffix = ''; Quiet = $false; ExpectedCount = 0 }
            @{ Suffix = ' and answers $false with -Quiet'; Quiet = $true; ExpectedCount = 1 }
        ) {
            $output = @(Test-BwrapUidMap -User 'no-such-user-usernstools' -Quiet:$Quiet -ErrorVariable err -ErrorAction SilentlyContinue)
            $err | Should -HaveCount 1
            $err[0].TargetObject | Should -Be 'no-such-user-usernstools'
            $output.Count | Should -Be $ExpectedCount
        }
    }

    Context 'Display' {
        It 'shows mode and outcome first, also after remoting serialisation' -TestCases @(
            @{ Remote = $false }
            @{ Remote = $true }
        ) {
            $results = Test-BwrapUidMap -BwrapPath '/nonexistent/bwrap'
            if ($Remote) {
                $results = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($results))
            }
            $header = ($results | Format-Table | Out-String).Trim() -split "`n" | Select-Object -First 1
            $header | Should -Match '^Mode\s+Succeeded\s+UidMapped\s+ErrorKind'
        }
    }
}
