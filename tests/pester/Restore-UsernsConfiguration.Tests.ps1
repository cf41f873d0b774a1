#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    Import-Module -Name "$root/out/UsernsTools/$version/UsernsTools.psd1" -Force

    function New-TestMachine {
        $machine = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-restore-$PID-$([guid]::NewGuid().ToString('n'))"
        New-Item -ItemType Directory -Path "$machine/etc/sysctl.d", "$machine/proc/sys/user" -Force | Out-Null
        Set-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Value '0'
        $machine
    }
    $dropIn = 'etc/sysctl.d/99-zz-usernstools.conf'

    # What-if messages go to the host, not to a stream: a transcript is where a test can read them.
    function Get-HostText([scriptblock] $Script) {
        $log = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-transcript-$PID-$([guid]::NewGuid().ToString('n')).txt"
        Start-Transcript -LiteralPath $log | Out-Null
        try { & $Script | Out-Null } finally { Stop-Transcript | Out-Null }
        try { Get-Content -LiteralPath $log -Raw } finally { Remove-Item -LiteralPath $log -ErrorAction SilentlyContinue }
    }
}

Describe 'Restore-UsernsConfiguration' {
    BeforeEach { $machine = New-TestMachine }
    AfterEach { Remove-Item -LiteralPath $machine -Recurse -Force -ErrorAction SilentlyContinue }

    Context 'Undoing' {
        It 'puts back the previous state when given <Source>' -TestCases @(
            @{ Source = 'no id (the newest change)'; Kind = 'none' }
            @{ Source = 'a UsernsBackup from the pipeline'; Kind = 'backup' }
            @{ Source = 'UsernsChange records from the pipeline'; Kind = 'change' }
        ) {
            $changes = Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false
            switch ($Kind) {
                'none' { Restore-UsernsConfiguration -Root $machine -Confirm:$false | Out-Null }
                'backup' { Get-UsernsBackup -Root $machine | Select-Object -Last 1 | Restore-UsernsConfiguration -Root $machine -Confirm:$false | Out-Null }
                'change' { $changes | Restore-UsernsConfiguration -Root $machine -Confirm:$false | Out-Null }
            }
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '0'
            Test-Path -LiteralPath "$machine/$dropIn" | Should -BeFalse
            (Get-UsernsBackup -Root $machine -Id $changes[0].BackupId).State | Should -Be 'Restored'
        }

        It 'gives back the exact bytes of a file it replaced' {
            $original = "# kept by hand`nuser.max_user_namespaces=5`n"
            [System.IO.File]::WriteAllText("$machine/$dropIn", $original)
            Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false | Restore-UsernsConfiguration -Root $machine -Confirm:$false | Out-Null
            [System.IO.File]::ReadAllText("$machine/$dropIn") | Should -BeExactly $original
        }

        It 'writes nothing, and outputs no change records, under -WhatIf' {
            Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false | Out-Null
            Restore-UsernsConfiguration -Root $machine -WhatIf | Should -BeNullOrEmpty
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '15000'
        }

        It 'shows the journal record where it really is, below -Root' {
            Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false | Out-Null
            $backup = Get-UsernsBackup -Root $machine
            $backup.Path | Should -BeLike "$machine/var/lib/usernstools/backups/*.json"
            Test-Path -LiteralPath $backup.Path | Should -BeTrue
        }
    }

    Context 'AppArmor profiles below a root' {
        It 'reports the unload to make on that machine for each profile it removes, as Enable reported the load' {
            New-Item -ItemType Directory -Path "$machine/proc/sys/kernel", "$machine/usr/bin" -Force | Out-Null
            Set-Content -LiteralPath "$machine/proc/sys/kernel/apparmor_restrict_unprivileged_userns" -Value '1'
            New-Item -ItemType File -Path "$machine/usr/bin/bwrap" | Out-Null
            & chmod 755 "$machine/usr/bin/bwrap"
            $enabled = Enable-UnprivilegedUserns -Method AppArmorProfile -Root $machine -Confirm:$false -WarningAction SilentlyContinue
            ($enabled | Where-Object Kind -EQ 'AppArmorLoad').Status | Should -Be 'RequiresManualAction'

            $restored = Restore-UsernsConfiguration -Root $machine -Confirm:$false -WarningAction SilentlyContinue
            Test-Path -LiteralPath "$machine/etc/apparmor.d/usernstools-usr.bin.bwrap" | Should -BeFalse
            $unload = @($restored | Where-Object Kind -EQ 'AppArmorLoad')
            $unload | Should -HaveCount 1
            $unload[0].Status | Should -Be 'RequiresManualAction'
            $unload[0].Before | Should -Be 'usernstools-usr.bin.bwrap'
            # By the profile's name: apparmor_parser -R reads the file, which this restore removed.
            $unload[0].Description | Should -BeLike '*(echo -n usernstools-usr.bin.bwrap > /sys/kernel/security/apparmor/.remove)*'
            $unload[0].Description | Should -Not -BeLike '*apparmor_parser -R*'
        }
    }

    Context 'Input that names no record' {
        BeforeEach {
            # An earlier change that is not what the input is about: it must survive every case here.
            $earlier = Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false
        }

        It 'restores nothing from <Source>, and says so' -TestCases @(
            @{ Source = 'the records of a change that was already in force'; Make = { Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false } }
            @{ Source = 'a record without a BackupId'; Make = { [pscustomobject]@{ BackupId = $null; Status = 'AlreadyInDesiredState' } } }
        ) {
            $records = & $Make
            $records | Should -Not -BeNullOrEmpty
            $restored = $records | Restore-UsernsConfiguration -Root $machine -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            $restored | Should -BeNullOrEmpty
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NoBackupIdInInput,*'
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '15000'
            (Get-UsernsBackup -Root $machine -Id $earlier[0].BackupId).State | Should -Be 'Complete'
        }

        It 'restores nothing from <Source>' -TestCases @(
            @{ Source = 'the output of a -WhatIf run'; Make = { Disable-UnprivilegedUserns -Root $machine -WhatIf -WarningAction SilentlyContinue } }
            @{ Source = 'an empty pipeline'; Make = { Get-UsernsBackup -Root $machine | Where-Object Operation -EQ 'no such operation' } }
        ) {
            $restored = & $Make | Restore-UsernsConfiguration -Root $machine -Confirm:$false -ErrorVariable err
            $restored | Should -BeNullOrEmpty
            $err | Should -BeNullOrEmpty
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '15000'
            (Get-UsernsBackup -Root $machine -Id $earlier[0].BackupId).State | Should -Be 'Complete'
        }

        It 'plans nothing under -WhatIf for the output of another -WhatIf run' {
            $disabled = Disable-UnprivilegedUserns -Root $machine -WhatIf -WarningAction SilentlyContinue
            $text = Get-HostText { $disabled | Restore-UsernsConfiguration -Root $machine -WhatIf }
            $text | Should -Not -Match 'What if: .*(Restore|Remove|back)'
            (Get-UsernsBackup -Root $machine -Id $earlier[0].BackupId).State | Should -Be 'Complete'
        }
    }

    Context 'A journal that stays true' {
        It 'refuses to undo a change under a later one, naming it in cmdlet words, and unwinds newest first from the pipeline' {
            $first = Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false
            $second = Set-UsernsSetting user.max_user_namespaces 16000 -Root $machine -Confirm:$false

            $err = $null
            try { Restore-UsernsConfiguration -BackupId $first[0].BackupId -Root $machine -Confirm:$false -ErrorAction Stop | Out-Null } catch { $err = $_ }

            $err.FullyQualifiedErrorId | Should -BeLike 'LaterChangeNotUndone,*'
            $err.TargetObject | Should -Be $second[0].BackupId
            $err.ErrorDetails.Message | Should -Match ([regex]::Escape("Restore-UsernsConfiguration -BackupId $($second[0].BackupId) -Root '$machine'"))
            $err.ErrorDetails.Message | Should -Not -Match 'usernstools restore'
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '16000'
            (Get-UsernsBackup -Root $machine).State | Should -Be @('Complete', 'Complete')

            Get-UsernsBackup -Root $machine | Restore-UsernsConfiguration -Root $machine -Confirm:$false | Out-Null
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '0'
            (Get-UsernsBackup -Root $machine | Where-Object RestoresBackupId -EQ $null).State | Should -Be @('Restored', 'Restored')
        }

        It 'previews unwinding several records from the pipeline as the real run unwinds them, without an error' {
            $first = Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false
            $second = Set-UsernsSetting user.max_user_namespaces 16000 -Root $machine -Confirm:$false

            # The older record is previewed as it will be undone: after the newer one, which the real run undoes first.
            $text = Get-HostText { Get-UsernsBackup -Root $machine | Restore-UsernsConfiguration -Root $machine -WhatIf -ErrorAction Stop }
            $text | Should -Match 'from 16000 to 15000'
            # From the value the newer record's restore leaves, not from the one in force now.
            $text | Should -Match 'back from 15000 to 0 in the running kernel'
            $text | Should -Not -Match 'from 16000 to 0'
            # The drop-in the newer restore puts back is the one the older restore then removes.
            $text | Should -Match 'Remove .*99-zz-usernstools.conf, which did not exist before'
            $text | Should -Not -Match 'LaterChangeNotUndone|would discard'
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '16000'
            (Get-UsernsBackup -Root $machine).State | Should -Be @('Complete', 'Complete')

            # A record alone still may not be undone from under a later one, in a preview as in a real run.
            { Restore-UsernsConfiguration -BackupId $first[0].BackupId -Root $machine -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'LaterChangeNotUndone,*'
            $null = $second
        }
    }

    Context 'Errors' {
        It 'reports <Case> as <ErrorId>' -TestCases @(
            @{ Case = 'an empty journal'; Id = $null; ErrorId = 'NoBackupToRestore' }
            @{ Case = 'an unknown id'; Id = 'nope'; ErrorId = 'BackupNotFound' }
        ) {
            $splat = @{ Root = $machine; Confirm = $false }
            if ($Id) { $splat.BackupId = $Id }
            { Restore-UsernsConfiguration @splat -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,*"
        }

        It 'stops with RootNotFound (ObjectNotFound) for a -Root that does not exist' {
            $record = { Restore-UsernsConfiguration -Root "$machine/no-such-root" -Confirm:$false -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId 'RootNotFound,*' -PassThru
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
    }

    Context 'Completion' {
        It 'completes -BackupId with the journal ids under -Root' {
            $machine2 = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-restore-completion-$PID"
            New-Item -ItemType Directory -Path "$machine2/etc/sysctl.d", "$machine2/proc/sys/user" -Force | Out-Null
            Set-Content -LiteralPath "$machine2/proc/sys/user/max_user_namespaces" -Value '0'
            try {
                $change = Set-UsernsSetting user.max_user_namespaces 100 -Root $machine2 -Confirm:$false
                Push-Location -LiteralPath (Split-Path -Parent $machine2)
                try {
                    # -Root relative to the current location, as the cmdlet itself resolves it.
                    $line = "Restore-UsernsConfiguration -Root ./$(Split-Path -Leaf $machine2) -BackupId "
                    (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be $change[0].BackupId
                }
                finally {
                    Pop-Location
                }
            }
            finally {
                Remove-Item -LiteralPath $machine2 -Recurse -Force -ErrorAction SilentlyContinue
            }
        }
    }

    Context 'Help' {
        It 'lists -WhatIf and -Confirm in its syntax and parameters, as Get-Command does' {
            (Get-Command Restore-UsernsConfiguration).Parameters.Keys | Should -Contain 'WhatIf'
            $help = Get-Help Restore-UsernsConfiguration -Full
            foreach ($syntax in $help.syntax.syntaxItem) {
                $syntax.parameter.name | Should -Contain 'WhatIf'
                $syntax.parameter.name | Should -Contain 'Confirm'
            }
            $help.parameters.parameter.name | Should -Contain 'WhatIf'
            $help.parameters.parameter.name | Should -Contain 'Confirm'
            (Get-Help Restore-UsernsConfiguration -Parameter WhatIf).aliases | Should -Be 'wi'
            (Get-Help Restore-UsernsConfiguration -Parameter Confirm).aliases | Should -Be 'cf'
            # -WhatIf and -Confirm close every syntax line, as Get-Command shows them.
            foreach ($syntax in $help.syntax.syntaxItem) {
                ($syntax.parameter.name | Select-Object -Last 2) -join ' ' | Should -Be 'WhatIf Confirm'
            }
        }
    }
}
