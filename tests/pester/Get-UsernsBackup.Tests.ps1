#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    Import-Module -Name "$root/out/UsernsTools/$version/UsernsTools.psd1" -Force

    $machine = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-backup-$PID"
    New-Item -ItemType Directory -Path "$machine/etc/sysctl.d", "$machine/proc/sys/user" -Force | Out-Null
    Set-Content -LiteralPath "$machine/proc/sys/user/max_user_namespaces" -Value '0'
    $first = Set-UsernsSetting user.max_user_namespaces 100 -Root $machine -Confirm:$false
    $second = Set-UsernsSetting user.max_user_namespaces 200 -Root $machine -Confirm:$false
}

AfterAll {
    Remove-Item -LiteralPath $machine -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Get-UsernsBackup' {
    Context 'Listing' {
        It 'lists one record per run, oldest first' {
            $backups = Get-UsernsBackup -Root $machine
            $backups | Should -BeOfType ([UsernsTools.Configuration.UsernsBackup])
            $backups.BackupId | Should -Be @($first[0].BackupId, $second[0].BackupId)
            $backups.State | Should -Be @('Complete', 'Complete')
        }

        It 'names each run by the command that made it, as it can be typed again' {
            $operations = (Get-UsernsBackup -Root $machine).Operation
            $operations | Should -Be @(
                'Set-UsernsSetting -Name user.max_user_namespaces -Value 100 -Scope Runtime,Persistent'
                'Set-UsernsSetting -Name user.max_user_namespaces -Value 200 -Scope Runtime,Persistent')
            foreach ($operation in $operations) {
                $errors = $null
                $ast = [System.Management.Automation.Language.Parser]::ParseInput($operation, [ref]$null, [ref]$errors)
                $errors | Should -BeNullOrEmpty
                $command = $ast.EndBlock.Statements[0].PipelineElements[0]
                $command.GetCommandName() | Should -Be 'Set-UsernsSetting'
                (Get-Command Set-UsernsSetting).Parameters.Keys | Should -Contain $command.CommandElements[1].ParameterName
            }
        }

        It 'shows nothing for a change piped in that wrote nothing, and still shows the others' {
            # Already in force: no backup. It was a ParameterArgumentValidationError ("The argument is null or empty").
            $unchanged = Set-UsernsSetting user.max_user_namespaces 200 -Root $machine -Scope Runtime -Confirm:$false
            $unchanged.Status | Should -Be 'AlreadyInDesiredState'
            $unchanged.BackupId | Should -BeNullOrEmpty
            @($unchanged | Get-UsernsBackup -Root $machine -ErrorVariable err) | Should -HaveCount 0
            $err | Should -BeNullOrEmpty
            (@($unchanged) + @($second) | Get-UsernsBackup -Root $machine).BackupId | Should -Be @($second[0].BackupId)
            { Get-UsernsBackup -Id '' -Root $machine } | Should -Throw -ErrorId 'InvalidBackupId,*'
        }

        It 'finds one record by <How>' -TestCases @(
            @{ How = '-Id'; Parameter = 'Id' }
            @{ How = 'the BackupId alias'; Parameter = 'BackupId' }
        ) {
            $splat = @{ Root = $machine; $Parameter = $second[0].BackupId }
            (Get-UsernsBackup @splat).BackupId | Should -Be $second[0].BackupId
        }
    }

    Context 'Pipeline input by property name' {
        It 'shows the record of the changes piped in, once per run' {
            $backups = @($first + $second | Get-UsernsBackup -Root $machine)
            $backups.BackupId | Should -Be @($first[0].BackupId, $second[0].BackupId)
        }

        It 'takes the Id of any object piped in' {
            (@([pscustomobject]@{ Id = $second[0].BackupId }) | Get-UsernsBackup -Root $machine).BackupId | Should -Be $second[0].BackupId
        }

        It 'reports an unknown id piped in and goes on with the next' {
            $backups = @([pscustomobject]@{ Id = 'nope' }, [pscustomobject]@{ Id = $first[0].BackupId } |
                Get-UsernsBackup -Root $machine -ErrorVariable err -ErrorAction SilentlyContinue)
            $backups.BackupId | Should -Be $first[0].BackupId
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'BackupNotFound,*'
        }
    }

    Context 'Completion' {
        It 'completes -Id with the journal ids under -Root, newest first' {
            $line = "Get-UsernsBackup -Root '$machine' -Id "
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            $completions.CompletionText | Should -Be @($second[0].BackupId, $first[0].BackupId)
            $completions[0].ToolTip | Should -BeLike '*Set-UsernsSetting*'
        }
    }

    Context 'Errors' {
        It 'reports an id that does not exist as BackupNotFound' {
            { Get-UsernsBackup -Id nope -Root $machine -ErrorAction Stop } | Should -Throw -ErrorId 'BackupNotFound,*'
        }

        It 'stops with RootNotFound (ObjectNotFound) for a -Root that does not exist' {
            $missing = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-no-such-root-$PID"
            $record = { Get-UsernsBackup -Root $missing -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId 'RootNotFound,*' -PassThru
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $record.TargetObject | Should -Be $missing
        }
    }

    Context 'Display' {
        It 'shows the value before and after each change of <Source>' -TestCases @(
            @{ Source = 'Set-UsernsSetting'; Changes = { $second } }
            @{ Source = 'a journal record'; Changes = { (Get-UsernsBackup -Root $machine)[1].Changes } }
        ) {
            $text = & $Changes | Out-String -Width 120
            $text | Should -Match '(?m)^Status\s+Kind\s+Before\s+After\s+Target\s*$'
            $text | Should -Match '(?m)^Applied\s+RuntimeSetting\s+100\s+200\s+/proc/sys/user/max_user_namespaces\s*$'
        }

        It 'shows one line per record, also after Export-Clixml' {
            $file = Join-Path $machine 'backups.xml'
            Get-UsernsBackup -Root $machine | Export-Clixml -LiteralPath $file
            foreach ($backups in (Get-UsernsBackup -Root $machine), (Import-Clixml -LiteralPath $file)) {
                $lines = ($backups | Out-String -Width 120).Trim() -split "`n"
                $lines | Should -HaveCount 4
                $lines[2] | Should -Match "^$($first[0].BackupId)\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+Complete\s+Set-UsernsSetting"
                $backups[0].State -eq 'Complete' | Should -BeTrue
            }
        }
    }
}
