<#
A fleet compliance gate: one Pester file run against many hosts through PowerShell remoting over SSH. Every host
must let unprivileged users create user namespaces; a host that does not fails with the ids of its findings.

    $container = New-PesterContainer -Path ./UsernsFleet.Tests.ps1 -Data @{
        HostName    = 'build1', 'build2', 'web1'
        UserName    = 'ops'
        KeyFilePath = '~/.ssh/id_ed25519'
    }
    Invoke-Pester -Container $container -Output Detailed

Each host needs pwsh 7.4+ as the "powershell" subsystem of its sshd (Subsystem powershell /usr/bin/pwsh -sshs
-NoLogo -NoProfile) and UsernsTools installed, or -ModulePath naming a copy of the module folder there.
#>
param(
    # The hosts to check; Invoke-Command reaches them in parallel.
    [Parameter(Mandatory)]
    [string[]]
    $HostName,

    [int]
    $Port = 22,

    [string]
    $UserName = [Environment]::UserName,

    [string]
    $KeyFilePath,

    # ssh options, e.g. @{ StrictHostKeyChecking = 'yes' }.
    [hashtable]
    $Options = @{},

    # How the hosts import the module: its name when installed, or the path of its manifest.
    [string]
    $ModulePath = 'UsernsTools',

    # Passed to Get-UsernsStatus on every host, e.g. @{ User = 'builder' } or @{ FromReport = '/var/lib/report.json' }.
    [hashtable]
    $StatusParameters = @{}
)

BeforeAll {
    $remoting = @{ HostName = $HostName; Port = $Port; UserName = $UserName; Options = $Options }
    if ($KeyFilePath) {
        $remoting.KeyFilePath = $KeyFilePath
    }
    # One fan-out for the whole fleet; every deserialized status carries the PSComputerName of its host.
    $statuses = Invoke-Command @remoting -ErrorAction SilentlyContinue -ErrorVariable unreachable -ScriptBlock {
        Import-Module -Name $using:ModulePath -ErrorAction Stop
        $parameters = $using:StatusParameters
        Get-UsernsStatus @parameters
    }
}

Describe 'User namespaces on <_>' -ForEach $HostName {
    BeforeAll {
        $computer = $_
        $status = $statuses | Where-Object PSComputerName -EQ $computer
    }

    It 'reports its status' {
        $status | Should -HaveCount 1 -Because ($unreachable | Where-Object { $_.TargetObject -match [regex]::Escape($computer) -or $_.OriginInfo.PSComputerName -eq $computer } | Out-String)
    }

    It 'lets unprivileged users create user namespaces' {
        # The gate as on one machine; a failing host shows its verdict and the ids of its findings (each finding has
        # the FixCmdlet that resolves it: Get-UsernsStatus | Select-Object -ExpandProperty Findings).
        $status | Where-Object Verdict -In 'Limited', 'Unavailable' |
            ForEach-Object { "$($_.Verdict): $($_.Findings.Id -join ', ')" } |
            Should -BeNullOrEmpty
    }
}
