#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

# Remoting as administrators run the module across a fleet: PowerShell over SSH to an sshd of this test's own
# (127.0.0.1, a free port, configuration, host key and authorized key in a temporary folder; the host's ssh
# configuration is never read or changed) whose "powershell" subsystem is the pinned pwsh. The statuses come back
# deserialized, and a compliance gate must select the same hosts and findings as on live objects.

BeforeDiscovery {
    $sshd = @('/usr/sbin/sshd', (Get-Command -Name sshd -CommandType Application -ErrorAction SilentlyContinue).Source) |
        Where-Object { $_ -and (Test-Path -LiteralPath $_) } |
        Select-Object -First 1
    $missing = @(
        if (-not $sshd) { 'sshd is not installed (openssh-server; test.sh installs it)' }
        if (-not (Get-Command -Name ssh-keygen -CommandType Application -ErrorAction SilentlyContinue)) { 'ssh-keygen is not installed' }
        if ($sshd -and [Environment]::UserName -eq 'root' -and -not (Test-Path -LiteralPath '/run/sshd')) {
            "sshd's privilege-separation directory /run/sshd is missing (test.sh creates it)"
        }
    )
    foreach ($reason in $missing) {
        Write-Warning "Remoting tests skipped: $reason."
    }
}

Describe 'Get-UsernsStatus over PowerShell remoting (SSH)' -Skip:($missing.Count -gt 0) {
    BeforeAll {
        $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
        $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
        $manifest = "$root/out/UsernsTools/$version/UsernsTools.psd1"
        Import-Module -Name $manifest -Force
        $limitedReport = "$root/tests/fixtures/ubuntu-24.04-bwrap-uid-map.json"
        $availableReport = "$root/tests/fixtures/subuid-missing.json"

        $scratch = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-remoting-$PID"
        New-Item -ItemType Directory -Path $scratch -Force | Out-Null

        # The pinned pwsh (.config/dotnet-tools.json), run by the dotnet host from the NuGet packages folder where
        # `dotnet tool restore` put it: sshd starts the subsystem by absolute path, without the tool manifest.
        $pinned = (Get-Content -LiteralPath "$root/.config/dotnet-tools.json" -Raw | ConvertFrom-Json).tools.powershell.version
        $assets = Get-Content -LiteralPath "$root/tools/TestTools/obj/project.assets.json" -Raw | ConvertFrom-Json -AsHashtable
        $pwshDll = $assets.packageFolders.Keys |
            ForEach-Object { Get-ChildItem -Path (Join-Path $_ "powershell/$pinned/tools/*/any/unix/pwsh.dll") -ErrorAction SilentlyContinue } |
            Select-Object -First 1 -ExpandProperty FullName
        $pwshDll | Should -Not -BeNullOrEmpty -Because "the pinned PowerShell $pinned must be restored (dotnet tool restore)"
        $dotnet = (Get-Command -Name dotnet -CommandType Application | Select-Object -First 1).Source
        "$dotnet$pwshDll" | Should -Not -Match '\s' -Because 'sshd splits its Subsystem line at spaces'

        $sshd = @('/usr/sbin/sshd', (Get-Command -Name sshd -CommandType Application -ErrorAction SilentlyContinue).Source) |
            Where-Object { $_ -and (Test-Path -LiteralPath $_) } |
            Select-Object -First 1
        $hostKey = Join-Path $scratch 'host_ed25519'
        $clientKey = Join-Path $scratch 'client_ed25519'
        foreach ($key in $hostKey, $clientKey) {
            & ssh-keygen -q -t ed25519 -N '' -C 'usernstools-remoting-test' -f $key
            $LASTEXITCODE | Should -Be 0 -Because "ssh-keygen must write $key"
        }
        Copy-Item -LiteralPath "$clientKey.pub" -Destination (Join-Path $scratch 'authorized_keys')

        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()

        $config = Join-Path $scratch 'sshd_config'
        Set-Content -LiteralPath $config -Value @(
            'ListenAddress 127.0.0.1'
            "Port $port"
            "HostKey $hostKey"
            "AuthorizedKeysFile $(Join-Path $scratch 'authorized_keys')"
            "PidFile $(Join-Path $scratch 'sshd.pid')"
            'PubkeyAuthentication yes'
            'PasswordAuthentication no'
            'KbdInteractiveAuthentication no'
            'PermitRootLogin prohibit-password'
            'UsePAM no'
            'StrictModes no'
            "Subsystem powershell $dotnet $pwshDll -sshs -NoLogo -NoProfile"
        )
        $sshdLog = Join-Path $scratch 'sshd.log'
        $start = [System.Diagnostics.ProcessStartInfo]::new($sshd)
        foreach ($argument in '-D', '-f', $config, '-E', $sshdLog) {
            $start.ArgumentList.Add($argument)
        }
        $sshdProcess = [System.Diagnostics.Process]::Start($start)

        # Ready when it accepts connections; a configuration it refuses ends it at once.
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        $listening = $false
        while (-not $listening -and -not $sshdProcess.HasExited -and [DateTime]::UtcNow -lt $deadline) {
            $client = [System.Net.Sockets.TcpClient]::new()
            try {
                $client.Connect([System.Net.IPAddress]::Loopback, $port)
                $listening = $true
            }
            catch {
                Start-Sleep -Milliseconds 100
            }
            finally {
                $client.Dispose()
            }
        }
        $listening | Should -BeTrue -Because "sshd must listen on 127.0.0.1:$port; its log: $(Get-Content -LiteralPath $sshdLog -Raw -ErrorAction SilentlyContinue)"

        $ssh = @{
            HostName    = '127.0.0.1'
            Port        = $port
            UserName    = [Environment]::UserName
            KeyFilePath = $clientKey
            Options     = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
        }
    }

    AfterAll {
        if ($sshdProcess -and -not $sshdProcess.HasExited) {
            $sshdProcess.Kill($true)
            $sshdProcess.WaitForExit()
        }
        Remove-Item -LiteralPath $scratch -Recurse -Force -ErrorAction SilentlyContinue
    }

    Context 'A compliance gate on the deserialized status' {
        BeforeAll {
            $remote = Invoke-Command @ssh -ScriptBlock {
                Import-Module -Name $using:manifest -ErrorAction Stop
                Get-UsernsStatus -FromReport $using:limitedReport
            }
        }

        It 'returns one deserialized UsernsStatus from the host' {
            $remote | Should -HaveCount 1
            $remote.PSObject.TypeNames | Should -Contain 'Deserialized.UsernsTools.Diagnosis.UsernsStatus'
            $remote.PSComputerName | Should -Be '127.0.0.1'
        }

        It 'selects the Limited host and its findings as the live object does' {
            $local = Get-UsernsStatus -FromReport $limitedReport | Where-Object Verdict -EQ 'Limited' | ForEach-Object { $_.Findings.Id }
            $local | Should -Be @('AppArmorRestrictsUserns', 'BwrapUidMapDenied')
            $remote | Where-Object Verdict -EQ 'Limited' | ForEach-Object { $_.Findings.Id } | Should -Be $local
        }
    }

    Context 'The fleet gate of docs/examples/UsernsFleet.Tests.ps1' {
        BeforeAll {
            # Run as an administrator runs it: Invoke-Pester on the example, in a fresh pinned pwsh, against two names
            # of this host; once per recorded machine, in one run. Returns each test's machine, path, result and message.
            $runner = Join-Path $scratch 'run-fleet-gate.ps1'
            Set-Content -LiteralPath $runner -Value @'
param([string] $Pester, [string] $Example, [string] $Data)
Import-Module -Name $Pester
$containers = $Data | ConvertFrom-Json -AsHashtable | ForEach-Object { New-PesterContainer -Path $Example -Data $_ }
$result = Invoke-Pester -Container $containers -PassThru -Output None
@($result.Tests | ForEach-Object {
    @{ Report = $_.Block.BlockContainer.Data.StatusParameters.FromReport; Path = $_.ExpandedPath; Result = $_.Result; Message = "$($_.ErrorRecord)" }
}) | ConvertTo-Json
'@
            $data = @($limitedReport, $availableReport | ForEach-Object {
                    @{
                        HostName         = '127.0.0.1', 'localhost'
                        Port             = $port
                        UserName         = $ssh.UserName
                        KeyFilePath      = $clientKey
                        Options          = $ssh.Options
                        ModulePath       = $manifest
                        StatusParameters = @{ FromReport = $_ }
                    }
                }) | ConvertTo-Json -Depth 4 -Compress
            $pester = Join-Path (Get-Module -Name Pester).ModuleBase 'Pester.psd1'
            $errors = Join-Path $scratch 'fleet-gate.err'
            $json = & $dotnet $pwshDll -NoProfile -NonInteractive -File $runner -Pester $pester -Example "$root/docs/examples/UsernsFleet.Tests.ps1" -Data $data 2>$errors
            $LASTEXITCODE | Should -Be 0 -Because (Get-Content -LiteralPath $errors -Raw)
            $fleetTests = ($json -join "`n") | ConvertFrom-Json
        }

        It 'fails each Limited host with its verdict and findings' {
            $tests = $fleetTests | Where-Object Report -EQ $limitedReport
            $tests | Should -HaveCount 4
            foreach ($computer in '127.0.0.1', 'localhost') {
                ($tests | Where-Object Path -EQ "User namespaces on $computer.reports its status").Result | Should -Be 'Passed'
                $gate = $tests | Where-Object Path -EQ "User namespaces on $computer.lets unprivileged users create user namespaces"
                $gate.Result | Should -Be 'Failed'
                $gate.Message | Should -Match 'Limited: AppArmorRestrictsUserns, BwrapUidMapDenied'
            }
        }

        It 'passes an Available host, even one with findings' {
            $tests = $fleetTests | Where-Object Report -EQ $availableReport
            $tests | Should -HaveCount 4
            $tests | Where-Object Result -NE 'Passed' | ForEach-Object { "$($_.Path): $($_.Message)" } | Should -BeNullOrEmpty
        }
    }
}
