#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    Import-Module -Name "$root/out/UsernsTools/$version/UsernsTools.psd1" -Force

    # A Debian-like machine where unprivileged user namespaces are switched off.
    function New-TestMachine {
        $machine = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-enable-$PID-$([guid]::NewGuid().ToString('n'))"
        New-Item -ItemType Directory -Path "$machine/etc/sysctl.d", "$machine/proc/sys/user", "$machine/proc/sys/kernel" -Force | Out-Null
        Set-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Value '31000'
        Set-Content -LiteralPath "$machine/proc/sys/kernel/unprivileged_userns_clone" -Value '0'
        Set-Content -LiteralPath "$machine/proc/sys/kernel/threads-max" -Value '62000'
        $machine
    }
}

Describe 'Enable-UnprivilegedUserns' {
    BeforeEach { $machine = New-TestMachine }
    AfterEach { Remove-Item -LiteralPath $machine -Recurse -Force -ErrorAction SilentlyContinue }

    Context 'Fixing a switched-off machine' {
        It 'turns kernel.unprivileged_userns_clone on with -Method <Method>' -TestCases @(
            @{ Method = 'Auto' }
            @{ Method = 'Sysctl' }
        ) {
            $changes = Enable-UnprivilegedUserns -Method $Method -Root $machine -Confirm:$false
            $changes | Should -BeOfType ([UsernsTools.Configuration.UsernsChange])
            (Get-Content -LiteralPath "$machine/proc/sys/kernel/unprivileged_userns_clone" -Raw).Trim() | Should -Be '1'
            Get-Content -LiteralPath "$machine/etc/sysctl.d/99-zz-usernstools.conf" -Raw | Should -Match 'kernel.unprivileged_userns_clone = 1'
        }

        It 'writes nothing, and outputs no change records, under -WhatIf' {
            Enable-UnprivilegedUserns -Root $machine -WhatIf | Should -BeNullOrEmpty
            (Get-Content -LiteralPath "$machine/proc/sys/kernel/unprivileged_userns_clone" -Raw).Trim() | Should -Be '0'
            Test-Path -LiteralPath "$machine/etc/sysctl.d/99-zz-usernstools.conf" | Should -BeFalse
        }
    }

    Context 'Pipeline' {
        It 'accepts <Shape> from the pipeline' -TestCases @(
            @{ Shape = 'a status'; ByStatus = $true }
            @{ Shape = 'findings one by one'; ByStatus = $false }
        ) {
            $status = Get-UsernsStatus -NoProbe
            if ($ByStatus) {
                $changes = $status | Enable-UnprivilegedUserns -Root $machine -Confirm:$false
            }
            else {
                $changes = $status.Findings | Enable-UnprivilegedUserns -Root $machine -Confirm:$false
            }
            $changes | Should -BeOfType ([UsernsTools.Configuration.UsernsChange])
            (Get-Content -LiteralPath "$machine/proc/sys/kernel/unprivileged_userns_clone" -Raw).Trim() | Should -Be '1'
        }
    }

    Context 'Planning from a recorded report' {
        # The machine being changed reads as unblocked: only the piped finding can say what to fix.
        It 'plans the fix for <Fixture> from the piped finding alone' -TestCases @(
            @{ Fixture = 'alt-linux-userns-restrict'; Expected = 'kernel.userns_restrict = 1 blocks unprivileged user namespaces' }
            @{ Fixture = 'ubuntu-24.04-default'; Expected = 'load AppArmor profile usernstools-usr.bin.bwrap' }
        ) {
            Set-Content -LiteralPath "$machine/proc/sys/kernel/unprivileged_userns_clone" -Value '1'
            Set-Content -LiteralPath "$machine/proc/sys/kernel/userns_restrict" -Value '0'
            Set-Content -LiteralPath "$machine/proc/sys/kernel/apparmor_restrict_unprivileged_userns" -Value '0'
            New-Item -ItemType Directory -Path "$machine/usr/bin" -Force | Out-Null
            New-Item -ItemType File -Path "$machine/usr/bin/bwrap" | Out-Null
            & chmod 755 "$machine/usr/bin/bwrap"

            $output = Get-UsernsStatus -FromReport "$root/tests/fixtures/$Fixture.json" |
                Enable-UnprivilegedUserns -WhatIf -Root $machine -Verbose 3>&1 4>&1
            $text = ($output | ForEach-Object { "$_" }) -join "`n"
            $text | Should -Not -Match 'Nothing blocks'
            $text | Should -BeLike "*$Expected*"
            $output | Where-Object { $_ -is [UsernsTools.Configuration.UsernsChange] } | Should -BeNullOrEmpty
            Get-ChildItem -LiteralPath "$machine/etc" -Recurse -File | Should -BeNullOrEmpty
        }
    }

    Context 'Programs the kernel log shows restricted' {
        It 'gives the denied browser its own AppArmor profile beside bwrap' {
            Set-Content -LiteralPath "$machine/proc/sys/kernel/apparmor_restrict_unprivileged_userns" -Value '1'
            foreach ($program in 'usr/bin/bwrap', 'opt/google/chrome/chrome') {
                New-Item -ItemType Directory -Path (Split-Path "$machine/$program") -Force | Out-Null
                New-Item -ItemType File -Path "$machine/$program" | Out-Null
                & chmod 755 "$machine/$program"
            }

            $finding = (Get-UsernsStatus -FromReport "$root/tests/fixtures/ubuntu-24.04-chromium-denied.json").Findings
            $finding.ProgramPaths | Should -Be @('/usr/bin/bwrap', '/opt/google/chrome/chrome')
            $changes = $finding | Enable-UnprivilegedUserns -Method AppArmorProfile -Root $machine -Confirm:$false -WarningAction SilentlyContinue
            ($changes | Where-Object Kind -EQ 'AppArmorProfile').Target | Sort-Object |
                Should -Be @('/etc/apparmor.d/usernstools-opt.google.chrome.chrome', '/etc/apparmor.d/usernstools-usr.bin.bwrap')
            Get-Content -LiteralPath "$machine/etc/apparmor.d/usernstools-opt.google.chrome.chrome" -Raw | Should -Match 'profile usernstools-opt.google.chrome.chrome /opt/google/chrome/chrome flags=\(unconfined\)'
        }

        It 'plans the same from a status back from <How> as from the live one' -TestCases @(
            @{ How = 'Import-Clixml' }
            @{ How = 'Start-Job' }
        ) {
            $machines = foreach ($i in 1, 2) {
                $m = New-TestMachine
                Set-Content -LiteralPath "$m/proc/sys/kernel/apparmor_restrict_unprivileged_userns" -Value '1'
                foreach ($program in 'usr/bin/bwrap', 'opt/google/chrome/chrome') {
                    New-Item -ItemType Directory -Path (Split-Path "$m/$program") -Force | Out-Null
                    New-Item -ItemType File -Path "$m/$program" | Out-Null
                    & chmod 755 "$m/$program"
                }
                $m
            }
            $report = "$root/tests/fixtures/ubuntu-24.04-chromium-denied.json"
            try {
                $received = switch ($How) {
                    'Import-Clixml' {
                        $file = Join-Path $machines[0] 'status.xml'
                        Get-UsernsStatus -FromReport $report | Export-Clixml -LiteralPath $file
                        Import-Clixml -LiteralPath $file
                    }
                    'Start-Job' {
                        Start-Job -ScriptBlock { param($Module, $Path) Import-Module $Module; Get-UsernsStatus -FromReport $Path } -ArgumentList "$root/out/UsernsTools/$version/UsernsTools.psd1", $report |
                            Receive-Job -Wait -AutoRemoveJob
                    }
                }
                $received.PSObject.TypeNames | Should -Contain 'Deserialized.UsernsTools.Diagnosis.UsernsStatus'

                # A finding that did not bind left the sysctl plan alone, with no AppArmor profile: least privilege lost.
                $live = Get-UsernsStatus -FromReport $report | Enable-UnprivilegedUserns -Root $machines[0] -Confirm:$false -WarningAction SilentlyContinue
                $again = $received | Enable-UnprivilegedUserns -Root $machines[1] -Confirm:$false -WarningAction SilentlyContinue -ErrorAction Stop

                ($again | ForEach-Object { "$($_.Kind) $($_.Target)" }) | Should -Be ($live | ForEach-Object { "$($_.Kind) $($_.Target)" })
                ($again | Where-Object Kind -EQ 'AppArmorProfile').Target | Sort-Object |
                    Should -Be @('/etc/apparmor.d/usernstools-opt.google.chrome.chrome', '/etc/apparmor.d/usernstools-usr.bin.bwrap')
            }
            finally {
                Remove-Item -LiteralPath $machines -Recurse -Force -ErrorAction SilentlyContinue
            }
        }
    }

    Context 'Errors' {
        It 'reports the load it cannot make below a root once, and never says the profile was written under -WhatIf' {
            Set-Content -LiteralPath "$machine/proc/sys/kernel/apparmor_restrict_unprivileged_userns" -Value '1'
            New-Item -ItemType Directory -Path "$machine/usr/bin" -Force | Out-Null
            New-Item -ItemType File -Path "$machine/usr/bin/bwrap" | Out-Null
            & chmod 755 "$machine/usr/bin/bwrap"

            Enable-UnprivilegedUserns -Method AppArmorProfile -Root $machine -WhatIf -WarningVariable previewed -WarningAction SilentlyContinue | Out-Null
            @($previewed | Where-Object { "$_" -like '*usernstools-usr.bin.bwrap*' }) | Should -HaveCount 1
            "$previewed" | Should -Not -BeLike '*is written*'

            # Made: the step left to the administrator is an output record, as for every change, and not a warning as well.
            $changes = Enable-UnprivilegedUserns -Method AppArmorProfile -Root $machine -Confirm:$false -WarningVariable made -WarningAction SilentlyContinue
            @($made | Where-Object { "$_" -like '*usernstools-usr.bin.bwrap*' }) | Should -HaveCount 0
            $load = @($changes | Where-Object Kind -EQ 'AppArmorLoad')
            $load | Should -HaveCount 1
            $load[0].Status | Should -Be 'RequiresManualAction'
            $load[0].Description | Should -BeLike 'Not run below a root (*): load AppArmor profile usernstools-usr.bin.bwrap*(apparmor_parser -r /etc/apparmor.d/usernstools-usr.bin.bwrap).'
        }

        It 'says why the programs a piped diagnosis names get no profile when none exists below the root' {
            Set-Content -LiteralPath "$machine/proc/sys/kernel/apparmor_restrict_unprivileged_userns" -Value '1'
            $status = Get-UsernsStatus -FromReport "$root/tests/fixtures/ubuntu-24.04-chromium-denied.json"
            $record = { $status | Enable-UnprivilegedUserns -Root $machine -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'NoProgramForProfile,*' -PassThru
            $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $record.Exception.Message | Should -BeLike '*/usr/bin/bwrap and /opt/google/chrome/chrome, named by the diagnosis, do not exist here*'
            Test-Path -LiteralPath "$machine/etc/apparmor.d" | Should -BeFalse
        }

        It 'stops with RootNotFound (ObjectNotFound) for a -Root that does not exist' {
            $missing = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-no-such-root-$PID"
            $record = { Enable-UnprivilegedUserns -Confirm:$false -Root $missing -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId 'RootNotFound,*' -PassThru
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $record.TargetObject | Should -Be $missing
        }
    }

    Context 'Help' {
        It 'lists -WhatIf and -Confirm in its syntax and parameters, as Get-Command does' {
            (Get-Command Enable-UnprivilegedUserns).Parameters.Keys | Should -Contain 'WhatIf'
            $help = Get-Help Enable-UnprivilegedUserns -Full
            foreach ($syntax in $help.syntax.syntaxItem) {
                $syntax.parameter.name | Should -Contain 'WhatIf'
                $syntax.parameter.name | Should -Contain 'Confirm'
            }
            $help.parameters.parameter.name | Should -Contain 'WhatIf'
            $help.parameters.parameter.name | Should -Contain 'Confirm'
            (Get-Help Enable-UnprivilegedUserns -Parameter WhatIf).aliases | Should -Be 'wi'
            (Get-Help Enable-UnprivilegedUserns -Parameter Confirm).aliases | Should -Be 'cf'
            # -WhatIf and -Confirm close every syntax line, as Get-Command shows them.
            foreach ($syntax in $help.syntax.syntaxItem) {
                ($syntax.parameter.name | Select-Object -Last 2) -join ' ' | Should -Be 'WhatIf Confirm'
            }
        }
    }
}
