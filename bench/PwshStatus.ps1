<#
    One fresh pwsh session: imports the module, times the first Get-UsernsStatus (what a user waits for after
    Import-Module), then -Warm more calls, and the combined probe as many times, interleaved: as nobody through setpriv
    (the floor the targets are set against), and as nobody without setpriv (switched to by Process between fork and
    exec; the status's own runner switches its starting thread instead, an internal the script cannot reach).
    Prints one line for bench/run.sh: import ms, first ms, warm median ms, probe median ms, probe-as-started median ms.
#>
param(
    [Parameter(Mandatory)] [string] $Manifest,
    [int] $Warm = 20
)
$ErrorActionPreference = 'Stop'

function Invoke-Argv([string[]] $Argv, [string] $UserName) {
    $psi = [System.Diagnostics.ProcessStartInfo]::new($Argv[0])
    foreach ($a in $Argv[1..($Argv.Count - 1)]) { $psi.ArgumentList.Add($a) }
    if ($UserName) { $psi.UserName = $UserName }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $p = [System.Diagnostics.Process]::Start($psi)
    $null = $p.StandardOutput.ReadToEnd()
    $null = $p.StandardError.ReadToEnd()
    $p.WaitForExit()
    $p.Dispose()
}

function Get-Median([double[]] $Values) {
    $sorted = [double[]]($Values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

# The probes run as the user diagnosed, nobody when root runs them. A shell running as root starts the combined probe
# as nobody through setpriv; the status's probes are switched to nobody with no setpriv in between, as here.
$asStarted = @('unshare', '--user', '--map-root-user', '--mount', '--uts', '--ipc', '--net', '--pid', '--fork', '--cgroup', 'true')
$asStarted[0] = (Get-Command -Name 'unshare' -CommandType Application | Select-Object -First 1).Source
$probe = $asStarted
$runAs = $null
if ((id -u) -eq '0') {
    $setpriv = (Get-Command -Name 'setpriv' -CommandType Application | Select-Object -First 1).Source
    $probe = @($setpriv, '--reuid=65534', '--regid=65534', '--clear-groups') + $asStarted
    $runAs = 'nobody'
}

$clock = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module -Name $Manifest
$import = $clock.Elapsed.TotalMilliseconds
$clock.Restart()
$status = Get-UsernsStatus
$first = $clock.Elapsed.TotalMilliseconds
if ($runAs -and $status.Probes[0].Command[0] -ne $asStarted[0]) { throw "The probes did not start unshare directly: $($status.Probes[0].Command -join ' ')" }

$warmTimes = [System.Collections.Generic.List[double]]::new()
$probeTimes = [System.Collections.Generic.List[double]]::new()
$asStartedTimes = [System.Collections.Generic.List[double]]::new()
foreach ($i in 1..$Warm) {
    $clock.Restart()
    $null = Get-UsernsStatus
    $warmTimes.Add($clock.Elapsed.TotalMilliseconds)
    $clock.Restart()
    Invoke-Argv $probe
    $probeTimes.Add($clock.Elapsed.TotalMilliseconds)
    $clock.Restart()
    Invoke-Argv $asStarted $runAs
    $asStartedTimes.Add($clock.Elapsed.TotalMilliseconds)
}

[string]::Format([cultureinfo]::InvariantCulture, '{0:F2} {1:F2} {2:F2} {3:F2} {4:F2}', $import, $first, (Get-Median $warmTimes), (Get-Median $probeTimes), (Get-Median $asStartedTimes))
