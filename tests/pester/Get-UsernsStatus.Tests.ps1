#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    Import-Module -Name "$root/out/UsernsTools/$version/UsernsTools.psd1" -Force

    $reportDir = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-pester-$PID"
    New-Item -ItemType Directory -Path $reportDir -Force | Out-Null
    $validReport = Join-Path $reportDir 'alice.json'
    Set-Content -LiteralPath $validReport -Value '{ "schemaVersion": 1, "facts": { "hostname": "recorded-host", "subject": { "user": "alice", "uid": 1000, "gid": 1000 } }, "probes": [] }'
    $brokenReport = Join-Path $reportDir 'broken.json'
    Set-Content -LiteralPath $brokenReport -Value '{ "schemaVersion": 1, "facts": '

    # The fleet view: one report per machine in a folder, one of them broken.
    $fleet = Join-Path $reportDir 'fleet'
    New-Item -ItemType Directory -Path $fleet -Force | Out-Null
    foreach ($user in 'alice', 'bob') {
        Set-Content -LiteralPath (Join-Path $fleet "$user.json") -Value ('{ "schemaVersion": 1, "facts": { "hostname": "host-' + $user + '", "subject": { "user": "' + $user + '", "uid": 1000, "gid": 1000 } }, "probes": [] }')
    }
    Copy-Item -LiteralPath $brokenReport -Destination (Join-Path $fleet 'zz-broken.json')
    $hardened = Join-Path $root 'tests/fixtures/rhel-9-stig-hardened.json'

    $uidMapReport = "$root/tests/fixtures/ubuntu-24.04-bwrap-uid-map.json"
    $modulePath = "$root/out/UsernsTools/$version/UsernsTools.psd1"

    # The status of a report as a user gets it: live, back from Import-Clixml, or from a job (another process, the
    # serializer of remoting at its default depth).
    function Receive-Status([string] $How, [string] $Report) {
        switch ($How) {
            'live' { Get-UsernsStatus -FromReport $Report }
            'Export-Clixml' {
                $file = Join-Path $reportDir "status-$([guid]::NewGuid()).xml"
                Get-UsernsStatus -FromReport $Report | Export-Clixml -LiteralPath $file
                Import-Clixml -LiteralPath $file
            }
            'Start-Job' {
                Start-Job -ScriptBlock { param($Module, $Path) Import-Module $Module; Get-UsernsStatus -FromReport $Path } -ArgumentList $modulePath, $Report |
                    Receive-Job -Wait -AutoRemoveJob
            }
        }
    }
}

AfterAll {
    Remove-Item -LiteralPath $reportDir -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Get-UsernsStatus' {
    Context 'Live diagnosis' {
        It 'returns one status with a verdict (<Arguments>)' -TestCases @(
            @{ Arguments = '-NoProbe'; Splat = @{ NoProbe = $true } }
            @{ Arguments = '-ProbeTimeout 5'; Splat = @{ ProbeTimeout = 5 } }
        ) {
            $status = @(Get-UsernsStatus @Splat)
            $status.Count | Should -Be 1
            $status[0] | Should -BeOfType ([UsernsTools.Diagnosis.UsernsStatus])
            $status[0].Verdict | Should -BeIn ([enum]::GetNames([UsernsTools.Diagnosis.Verdict]))
            $status[0].FromReport | Should -BeFalse
        }

        It 'starts no probe with -NoProbe' {
            (Get-UsernsStatus -NoProbe).Probes | Should -HaveCount 0
        }
    }

    Context 'Tool files read through Mono.Unix, whose native library pwsh finds in the module folder' {
        It 'reports the owner and setuid bit of every tool found, as stat(1) does' {
            $tools = @((Get-UsernsStatus -NoProbe -ErrorAction Stop).Facts.Tools | Where-Object Found)
            $tools | Should -Not -BeNullOrEmpty
            foreach ($tool in $tools) {
                $owner, $mode = (& stat -L -c '%u %a' -- $tool.Path) -split ' '
                $tool.OwnerUid | Should -Be ([long]$owner) -Because "stat(1) says $($tool.Path) is owned by uid $owner"
                $tool.IsSetuid | Should -Be ((([Convert]::ToInt32($mode, 8)) -band 0x800) -ne 0) -Because "stat(1) gives $($tool.Path) mode $mode"
            }
        }

        It 'loads libMono.Unix.so from the RID folder beside the module dll' {
            $null = Get-UsernsStatus -NoProbe -ErrorAction Stop
            $rid = if ([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture -eq 'Arm64') { 'linux-arm64' } else { 'linux-x64' }
            $moduleDir = (Get-Module -Name UsernsTools).ModuleBase
            $expected = Join-Path $moduleDir "$rid/libMono.Unix.so"
            Get-Content -LiteralPath "/proc/$PID/maps" | Where-Object { $_.EndsWith(' ' + $expected) } | Should -Not -BeNullOrEmpty
        }
    }

    Context 'Reports recorded elsewhere' {
        It 'diagnoses a report given as <Kind>' -TestCases @(
            @{ Kind = 'a full path'; Relative = $false }
            @{ Kind = 'a path relative to the current location'; Relative = $true }
        ) {
            $path = $validReport
            if ($Relative) {
                Push-Location -LiteralPath $reportDir
                $path = './alice.json'
            }
            try {
                $status = Get-UsernsStatus -FromReport $path
            }
            finally {
                if ($Relative) { Pop-Location }
            }
            $status.FromReport | Should -BeTrue
            $status.Subject.User | Should -Be 'alice'
        }

        It 'stops with <ErrorId> for <Kind>' -TestCases @(
            @{ Kind = 'a missing file'; File = 'missing.json'; ErrorId = 'ReportNotFound'; Category = 'ObjectNotFound' }
            @{ Kind = 'invalid JSON'; File = 'broken.json'; ErrorId = 'ReportInvalidJson'; Category = 'InvalidData' }
        ) {
            $path = Join-Path $reportDir $File
            # A report that cannot be used leaves nothing to do: the error is terminating.
            $record = { Get-UsernsStatus -FromReport $path } | Should -Throw -ErrorId "$ErrorId,*" -PassThru
            $record.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $record.CategoryInfo.Category | Should -Be $Category
            $record.TargetObject | Should -Be $path
            $record.ErrorDetails.Message | Should -Not -BeNullOrEmpty
        }

        It 'reads back a status saved with ConvertTo-Json -Depth 10 -EnumsAsStrings' {
            $saved = Join-Path $reportDir "converted-$([guid]::NewGuid()).json"
            $recorded = Get-UsernsStatus -FromReport $hardened
            $recorded | ConvertTo-Json -Depth 10 -EnumsAsStrings | Set-Content -LiteralPath $saved

            $status = Get-UsernsStatus -FromReport $saved

            $status.FromReport | Should -BeTrue
            $status.Verdict | Should -Be $recorded.Verdict
            $status.Subject.User | Should -Be $recorded.Subject.User
            $status.Facts.Hostname | Should -Be $recorded.Facts.Hostname
            ($status.Findings.Id -join ',') | Should -Be ($recorded.Findings.Id -join ',')
            ($status.Probes | ForEach-Object { "$($_.Name)=$($_.Succeeded)/$($_.Stage)" }) -join ',' |
                Should -Be (($recorded.Probes | ForEach-Object { "$($_.Name)=$($_.Succeeded)/$($_.Stage)" }) -join ',')
        }

        It 'refuses a SchemaVersion that is not a whole number with ReportInvalidValue, naming the file' {
            $saved = Join-Path $reportDir "converted-$([guid]::NewGuid()).json"
            $recorded = Get-UsernsStatus -FromReport $hardened | ConvertTo-Json -Depth 10 -EnumsAsStrings | ConvertFrom-Json
            $recorded.SchemaVersion = 'x'
            $recorded | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $saved

            # It was a bare InvalidOperationException ("An element of type 'String' cannot be converted...") with no file.
            $record = { Get-UsernsStatus -FromReport $saved } | Should -Throw -ErrorId 'ReportInvalidValue,*' -PassThru
            $record.Exception.Message | Should -BeLike "*'$saved'*schemaVersion: expected a whole number*"
        }

        It 'says that statuses saved together as an array go one per file' {
            $saved = Join-Path $reportDir "converted-$([guid]::NewGuid()).json"
            $recorded = Get-UsernsStatus -FromReport $hardened
            @($recorded, $recorded) | ConvertTo-Json -Depth 10 -EnumsAsStrings | Set-Content -LiteralPath $saved

            $record = { Get-UsernsStatus -FromReport $saved } | Should -Throw -ErrorId 'ReportMissingFacts,*' -PassThru
            $record.Exception.Message | Should -BeLike '*holds an array (a report is one status*save one per file*'
            $record.Exception.Message | Should -Not -BeLike '*invalid JSON*'
        }

        It 'says how to save a status with ConvertTo-Json when it was written <Kind>' -TestCases @(
            @{ Kind = 'with enums as numbers'; Arguments = @{ Depth = 10 } }
            @{ Kind = 'at the default depth'; Arguments = @{} }
        ) {
            $saved = Join-Path $reportDir "converted-$([guid]::NewGuid()).json"
            Get-UsernsStatus -FromReport $hardened | ConvertTo-Json @Arguments -WarningAction SilentlyContinue | Set-Content -LiteralPath $saved

            $record = { Get-UsernsStatus -FromReport $saved } | Should -Throw -ErrorId 'ReportInvalidValue,*' -PassThru
            $record.Exception.Message | Should -BeLike '*-Depth 10 -EnumsAsStrings*'
        }
    }

    Context 'Fixes in the words of PowerShell' {
        It 'gives each finding its cmdlet line, and names cmdlets in the remediation' {
            $finding = (Get-UsernsStatus -FromReport "$root/tests/fixtures/ubuntu-24.04-default.json").Findings |
                Where-Object Id -EQ 'AppArmorRestrictsUserns'
            $finding.FixCmdlet | Should -BeExactly 'Enable-UnprivilegedUserns -Method AppArmorProfile -ProgramPath /usr/bin/bwrap'
            $finding.FixCommand | Should -BeExactly 'usernstools enable --method apparmor --program /usr/bin/bwrap'
            # Backticks are wildcard escapes: compare as plain text.
            $finding.Remediation.Contains('`Enable-UnprivilegedUserns -Method AppArmorProfile -ProgramPath /usr/bin/bwrap` writes /etc/apparmor.d/usernstools-usr.bin.bwrap') |
                Should -BeTrue
            $finding.Remediation.Contains('usernstools enable') | Should -BeFalse
        }

        It 'names a restricted program whose path no -ProgramPath takes, instead of asking for a path the log already gives' {
            # Audit logs give a path with a space (hex-encoded in the raw line); -ProgramPath refuses such a path.
            $report = Join-Path $reportDir 'chrome-with-space.json'
            (Get-Content -LiteralPath "$root/tests/fixtures/ubuntu-24.04-chromium-denied.json" -Raw).Replace('/opt/google/chrome/chrome', '/opt/Google Chrome/chrome') |
                Set-Content -LiteralPath $report
            $finding = (Get-UsernsStatus -FromReport $report).Findings | Where-Object Id -EQ 'AppArmorRestrictsUserns'
            $finding.ProgramPaths | Should -Be @('/usr/bin/bwrap')
            $finding.FixCmdlet | Should -BeExactly 'Enable-UnprivilegedUserns -Method AppArmorProfile -ProgramPath /usr/bin/bwrap'
            $finding.Remediation.Contains('names no executable') | Should -BeFalse
            $finding.Remediation.Contains('"/opt/Google Chrome/chrome" flags=(unconfined) { userns, }') | Should -BeTrue
            $finding.Remediation.Contains('-ProgramPath does not take') | Should -BeTrue
        }

        It 'names a restricted program no -ProgramPath takes also when bwrap already has its profile' {
            $report = Join-Path $reportDir 'bwrap-profile-chrome-with-space.json'
            $recorded = Get-Content -LiteralPath "$root/tests/fixtures/ubuntu-24.04-bwrap-profile.json" -Raw | ConvertFrom-Json -AsHashtable
            $denied = Get-Content -LiteralPath "$root/tests/fixtures/ubuntu-24.04-chromium-denied.json" -Raw | ConvertFrom-Json -AsHashtable
            $recorded['denials'] = @($denied['denials'] | ForEach-Object {
                    if ($_['executable']) { $_['executable'] = '/opt/Google Chrome/chrome' }
                    $_
                })
            $recorded | ConvertTo-Json -Depth 20 | Set-Content -LiteralPath $report
            $finding = (Get-UsernsStatus -FromReport $report).Findings | Where-Object Id -EQ 'AppArmorRestrictsUserns'
            $finding.Severity | Should -Be 'Warning'
            $finding.Remediation.Contains('"/opt/Google Chrome/chrome" flags=(unconfined) { userns, }') | Should -BeTrue
        }

        It 'shows the cmdlet line in the list view' {
            $text = (Get-UsernsStatus -FromReport "$root/tests/fixtures/debian-10.json").Findings |
                Where-Object Id -EQ 'UnprivilegedUsernsCloneDisabled' | Format-List | Out-String -Width 200
            $text | Should -Match 'FixCmdlet\s+: Set-UsernsSetting -Name kernel.unprivileged_userns_clone\s+-Value 1 -Scope Runtime,Persistent'
        }
    }

    Context 'Parameter binding' {
        It 'refuses <Arguments>' -TestCases @(
            @{ Arguments = '-FromReport with -NoProbe'; Splat = @{ FromReport = 'x.json'; NoProbe = $true } }
            @{ Arguments = 'a zero timeout'; Splat = @{ ProbeTimeout = 0 } }
            @{ Arguments = 'a negative timeout'; Splat = @{ ProbeTimeout = -1 } }
        ) {
            { Get-UsernsStatus @Splat -ErrorAction Stop } | Should -Throw -ErrorId '*'
        }

        It 'reads a plain number as seconds: <Value>' -TestCases @(
            @{ Value = 2; Expected = [timespan]::FromSeconds(2) }
            @{ Value = 0.5; Expected = [timespan]::FromMilliseconds(500) }
            @{ Value = '00:00:03'; Expected = [timespan]::FromSeconds(3) }
        ) {
            $attribute = (Get-Command Get-UsernsStatus).Parameters['ProbeTimeout'].Attributes |
                Where-Object { $_ -is [System.Management.Automation.ArgumentTransformationAttribute] }
            $result = $attribute.Transform($ExecutionContext, $Value)
            [timespan]$result | Should -Be $Expected
        }

        It 'uses the Live set by default' {
            (Get-Command Get-UsernsStatus).DefaultParameterSet | Should -Be 'Live'
        }
    }

    Context 'Pipeline input by property name' {
        It 'diagnoses each report file piped in: the fleet view (<Source>)' -TestCases @(
            @{ Source = 'Get-ChildItem'; Files = { Get-ChildItem -Path (Join-Path $fleet '*.json') } }
            @{ Source = 'Get-Item'; Files = { Get-Item -Path (Join-Path $fleet '*.json') } }
            @{ Source = 'FullName'; Files = { Get-ChildItem -LiteralPath $fleet -Filter '*.json' | Select-Object FullName } }
            @{ Source = 'PSPath'; Files = { Get-ChildItem -LiteralPath $fleet -Filter '*.json' | Select-Object PSPath } }
        ) {
            $statuses = @(& $Files | Get-UsernsStatus -ErrorVariable err -ErrorAction SilentlyContinue)
            $statuses | Should -HaveCount 2
            $statuses.Hostname | Should -Be @('host-alice', 'host-bob')
            $statuses.FromReport | Should -Be @($true, $true)
            # The broken report is one error; it does not stop the files after it or before it.
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ReportInvalidJson,*'
        }

        It 'diagnoses the User of each object piped in' {
            $statuses = @([pscustomobject]@{ User = 'root' }, [pscustomobject]@{ User = 'no-such-user-usernstools' }, [pscustomobject]@{ User = '0' } |
                Get-UsernsStatus -NoProbe -ErrorVariable err -ErrorAction SilentlyContinue)
            $statuses.Subject.User | Should -Be @('root', 'root')
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'UnknownUser,*'
        }
    }

    Context 'Probes that do not answer' {
        It 'is Limited, not Available, when every probe timed out, and the table says so' {
            # This machine's status with every probe stopped at its timeout, as a loaded machine records it.
            $recorded = Get-UsernsStatus | ConvertTo-Json -Depth 10 -EnumsAsStrings | ConvertFrom-Json
            foreach ($probe in $recorded.Probes) { $probe.Succeeded = $false; $probe.Stage = 'Timeout'; $probe.Errno = 'None'; $probe.ExitCode = $null }
            $recorded.BwrapProbes = @()
            $saved = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-timeout-$([guid]::NewGuid().ToString('n')).json"
            $recorded | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $saved
            try { $status = Get-UsernsStatus -FromReport $saved } finally { Remove-Item -LiteralPath $saved }

            @($status.Probes.Stage | Select-Object -Unique) | Should -Be @('Timeout')
            $status.Probed | Should -BeFalse
            $status.Findings.Id | Should -Contain 'ProbeTimedOut'
            $status.Verdict | Should -Be 'Limited'
            $row = ($status | Format-Table | Out-String -Width 120) -split "`n" | Where-Object { $_ -like 'Limited*' }
            $row | Should -BeLike 'Limited *(unprobed), *'
        }
    }

    Context 'Empty user' {
        It 'refuses a -User of spaces instead of diagnosing the default subject' {
            { Get-UsernsStatus -User '  ' -NoProbe } | Should -Throw -ErrorId 'EmptyUserName,*'
            $statuses = @([pscustomobject]@{ User = ' ' }, [pscustomobject]@{ User = 'root' } |
                Get-UsernsStatus -NoProbe -ErrorVariable err -ErrorAction SilentlyContinue)
            $statuses.Subject.User | Should -Be @('root')
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'EmptyUserName,*'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
    }

    Context 'Verbose' {
        It 'says which user was diagnosed and why' {
            $verbose = @(Get-UsernsStatus -User root -NoProbe -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
            $verbose.Message | Should -Contain 'Diagnosing root (uid 0), the user asked for.'
            $verbose.Message | Should -Contain 'No probe ran (-NoProbe): facts only.'
        }

        It 'names each probe that ran with its command line' {
            $output = @(Get-UsernsStatus -Verbose 4>&1)
            $status = $output | Where-Object { $_ -is [UsernsTools.Diagnosis.UsernsStatus] }
            $messages = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
            $status.Probes | Should -Not -BeNullOrEmpty
            foreach ($probe in $status.Probes) {
                $outcome = if ($probe.Succeeded) { 'succeeded' } else { "failed at stage $($probe.Stage)*" }
                $messages | Where-Object { $_ -like "Probe $($probe.Name) $outcome (* ms)." } | Should -HaveCount 1
                $messages | Should -Contain "Ran as $($probe.User): $($probe.Command -join ' ')"
            }
        }

        It 'says which sysctl file wins at boot' {
            $messages = @(Get-UsernsStatus -FromReport $hardened -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
            $messages | Should -Contain 'At boot user.max_user_namespaces = 0: /etc/sysctl.conf:12 wins; it overrides /etc/sysctl.d/99-stig.conf:31 (0).'
        }
    }

    Context 'Completion' {
        It 'completes -User with the local accounts' {
            $line = 'Get-UsernsStatus -User roo'
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            $completions.CompletionText | Should -Contain 'root'
            $completions.CompletionText | Should -Not -Contain 'nobody'
        }
    }

    Context 'Help' {
        It 'names the error id an unknown user really gets (about_UsernsTools)' {
            { Get-UsernsStatus -User 'no-such-user-usernstools' -NoProbe } | Should -Throw -ErrorId 'UnknownUser,*'
            $about = Get-Help about_UsernsTools | Out-String
            $about | Should -Match '\bUnknownUser\b'
            $about | Should -Not -Match '\bUserNotFound\b'
        }

        It 'has a HelpInfoUri in its manifest' {
            (Get-Module UsernsTools).HelpInfoUri | Should -BeLike 'https://*'
        }

        It 'documents -FromReport as taking FullName and PSPath from the pipeline' {
            $help = Get-Help Get-UsernsStatus -Parameter FromReport
            $help.pipelineInput | Should -Be 'true (ByPropertyName)'
            $help.aliases | Should -Be 'FullName, PSPath'
        }
    }

    Context 'Display' {
        It 'shows verdict and findings first, also after remoting serialisation' -TestCases @(
            @{ Remote = $false }
            @{ Remote = $true }
        ) {
            $status = Get-UsernsStatus -FromReport $validReport
            if ($Remote) {
                $status = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($status))
                $status.pstypenames | Should -Contain 'Deserialized.UsernsTools.Diagnosis.UsernsStatus'
                # UsernsTools.Types.ps1xml raises the depth so nested objects arrive as objects, not strings.
                $status.Subject.User | Should -Be 'alice'
            }
            $header = ($status | Format-Table | Out-String).Trim() -split "`n" | Select-Object -First 1
            $header | Should -Match '^Verdict\s+Findings'
        }

        It 'shows nested objects as values, not type names, in Format-List (<How>)' -TestCases @(
            @{ How = 'live' }
            @{ How = 'Export-Clixml' }
            @{ How = 'Start-Job' }
        ) {
            $status = Receive-Status -How $How -Report $uidMapReport
            foreach ($text in ($status | Format-List | Out-String -Width 120), ($status | Format-List -Property * | Out-String -Width 120)) {
                $text | Should -Not -Match 'UsernsTools\.[A-Za-z.]+'
                $text | Should -Match 'Subject\s+: alice \(uid 1000\)'
                $text | Should -Match 'BwrapUidMapDenied'
                $text | Should -Match 'MapRootUser: failed at Map \(EPERM\)'
            }
        }
    }

    Context 'Received from a file or a job' {
        It 'compares every enum to its name after <How>' -TestCases @(
            @{ How = 'Export-Clixml' }
            @{ How = 'Start-Job' }
        ) {
            $status = Receive-Status -How $How -Report $uidMapReport
            $status.pstypenames[0] | Should -Be 'Deserialized.UsernsTools.Diagnosis.UsernsStatus'
            $status.Verdict -eq 'Limited' | Should -BeTrue
            $status.Findings[0].Severity -eq 'Blocking' | Should -BeTrue
            $status.Probes[1].Stage -eq 'Map' | Should -BeTrue
            $status.Probes[1].Errno -eq 'EPERM' | Should -BeTrue
            $status.BwrapProbes[0].ErrorKind -eq 'UidMapDenied' | Should -BeTrue
            $status.Denials[0].Kind -eq 'AppArmorCapabilityDenied' | Should -BeTrue
            # A compliance gate must not pass a Limited machine.
            @($status | Where-Object Verdict -EQ 'Available') | Should -HaveCount 0
        }

        It 'keeps the live object typed' {
            (Get-UsernsStatus -FromReport $uidMapReport).Verdict | Should -BeOfType ([UsernsTools.Diagnosis.Verdict])
        }
    }
}
