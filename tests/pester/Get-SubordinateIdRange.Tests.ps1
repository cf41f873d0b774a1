#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    Import-Module -Name "$root/out/UsernsTools/$version/UsernsTools.psd1" -Force

    # A machine of its own, so the host's /etc is neither read nor changed.
    $machine = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-subid-$PID"
    New-Item -ItemType Directory -Path "$machine/etc" -Force | Out-Null
    Set-Content -LiteralPath "$machine/etc/passwd" -Value @(
        'root:x:0:0:root:/root:/bin/bash'
        'alice:x:1000:1000:Alice:/home/alice:/bin/bash'
        'bob:x:1001:1001:Bob:/home/bob:/bin/bash'
        'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin'
    )
    Set-Content -LiteralPath "$machine/etc/group" -Value @('root:x:0:', 'alice:x:1000:', 'bob:x:1001:', 'nogroup:x:65534:')
    Set-Content -LiteralPath "$machine/etc/subuid" -Value @('alice:100000:65536', 'bob:150000:65536')
    Set-Content -LiteralPath "$machine/etc/subgid" -Value @('alice:100000:65536', 'bob:1000:1000')
}

AfterAll {
    Remove-Item -LiteralPath $machine -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Get-SubordinateIdRange' {
    Context 'Reading ranges' {
        It 'returns the <Kind> range of alice from <File>' -TestCases @(
            @{ Kind = 'Uid'; File = '/etc/subuid' }
            @{ Kind = 'Gid'; File = '/etc/subgid' }
        ) {
            $range = Get-SubordinateIdRange -User alice -Root $machine | Where-Object Kind -EQ $Kind
            $range | Should -HaveCount 1
            $range | Should -BeOfType ([UsernsTools.Facts.SubordinateIdRange])
            $range.Start | Should -Be 100000
            $range.Count | Should -Be 65536
            $range.File | Should -BeLike "*$File"
            $range.Line | Should -Be 1
            $range.IsLargeEnough | Should -BeTrue
        }

        It 'lists uid ranges before gid ranges for every user' {
            $ranges = Get-SubordinateIdRange -Root $machine
            $ranges.User | Sort-Object -Unique | Should -Be @('alice', 'bob')
            $kinds = [string[]]@($ranges.Kind | ForEach-Object { "$_" })
            # [array]::LastIndexOf: on the array itself, $kinds.LastIndexOf would call String.LastIndexOf on each element.
            [array]::IndexOf($kinds, 'Gid') | Should -BeGreaterThan ([array]::LastIndexOf($kinds, 'Uid'))
        }
    }

    Context 'Problems' {
        It 'flags <Problem>' -TestCases @(
            @{ Problem = 'a range that contains the own gid'; Check = { $_.User -eq 'bob' -and $_.Kind -eq 'Gid' -and $_.ContainsOwnId } }
            @{ Problem = 'a range smaller than 65536 ids'; Check = { $_.User -eq 'bob' -and $_.Kind -eq 'Gid' -and -not $_.IsLargeEnough } }
        ) {
            Get-SubordinateIdRange -Root $machine | Where-Object $Check | Should -HaveCount 1
        }
    }

    Context 'Pipeline input by property name' {
        It 'takes the user from a piped <Source>' -TestCases @(
            @{ Source = 'object with a User property'; Make = { [pscustomobject]@{ User = 'bob' } } }
        ) {
            $ranges = & $Make | Get-SubordinateIdRange -Root $machine
            $ranges.User | Sort-Object -Unique | Should -Be 'bob'
        }
    }

    Context 'Errors' {
        It 'warns once about each line no range comes from, however many users are piped in' {
            $broken = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-subid-broken-$PID"
            New-Item -ItemType Directory -Path "$broken/etc" -Force | Out-Null
            try {
                Copy-Item -LiteralPath "$machine/etc/passwd" -Destination "$broken/etc/passwd"
                Set-Content -LiteralPath "$broken/etc/subuid" -Value @('alice:100000:65536', 'bob 150000 65536')
                Set-Content -LiteralPath "$broken/etc/subgid" -Value @('alice:100000:65536')

                $ranges = [pscustomobject]@{ User = 'alice' }, [pscustomobject]@{ User = 'bob' } | Get-SubordinateIdRange -Root $broken -WarningVariable warnings -WarningAction SilentlyContinue
                $ranges.User | Should -Be @('alice', 'alice')
                $warnings | Should -HaveCount 1
                "$($warnings[0])" | Should -Be "/etc/subuid:2: 'bob 150000 65536' is not NAME:START:COUNT; newuidmap and newgidmap get no range from it."

                Get-SubordinateIdRange -Root $machine -WarningVariable clean -WarningAction SilentlyContinue | Out-Null
                $clean | Should -BeNullOrEmpty
            }
            finally {
                Remove-Item -LiteralPath $broken -Recurse -Force -ErrorAction SilentlyContinue
            }
        }

        It 'writes a non-terminating error for an unknown user and goes on' {
            $ranges = 'no-such-user-usernstools', 'alice' | ForEach-Object { [pscustomobject]@{ User = $_ } } |
                Get-SubordinateIdRange -Root $machine -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].TargetObject | Should -Be 'no-such-user-usernstools'
            $ranges.User | Sort-Object -Unique | Should -Be 'alice'
        }

        It 'stops with RootNotFound (ObjectNotFound) for a -Root that does not exist' {
            $missing = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-no-such-root-$PID"
            $record = { Get-SubordinateIdRange -Root $missing -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId 'RootNotFound,*' -PassThru
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $record.TargetObject | Should -Be $missing
        }
    }

    Context 'Completion' {
        It 'completes -User with the accounts of the -Root machine (<Kind>)' -TestCases @(
            @{ Kind = 'a full path'; Relative = $false }
            @{ Kind = 'a path relative to the current location'; Relative = $true }
        ) {
            $rootArgument = "'$machine'"
            if ($Relative) {
                Push-Location -LiteralPath (Split-Path -Parent $machine)
                $rootArgument = "./$(Split-Path -Leaf $machine)"
            }
            try {
                $line = "Get-SubordinateIdRange -Root $rootArgument -User "
                $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            }
            finally {
                if ($Relative) { Pop-Location }
            }
            $completions.CompletionText | Should -Be @('alice', 'bob', 'nobody', 'root')
            ($completions | Where-Object CompletionText -EQ 'alice').ToolTip | Should -Be 'alice (uid 1000, gid 1000)'
        }
    }
}
