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

        It 'writes nothing under -WhatIf' {
            Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false | Out-Null
            Restore-UsernsConfiguration -Root $machine -WhatIf | Out-Null
            (Get-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Raw).Trim() | Should -Be '15000'
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
    }
}
