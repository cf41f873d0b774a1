<#
    One fresh pwsh session: imports the module, times the first Get-UsernsStatus (what a user waits for after
    Import-Module), then -Warm more calls, and the combined probe (the floor, started as the probes start it) as
    many times, interleaved. Prints one line for bench/run.sh: import ms, first ms, warm median ms, probe median ms.
#>
param(
    [Parameter(Mandatory)] [string] $Manifest,
    [int] $Warm = 20
)
$ErrorActionPreference = 'Stop'

function Invoke-Argv([string[]] $Argv) {
    $psi = [System.Diagnostics.ProcessStartInfo]::new($Argv[0])
    foreach ($a in $Argv[1..($Argv.Count - 1)]) { $psi.ArgumentList.Add($a) }
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

# The probes run as the user diagnosed: root diagnoses nobody through setpriv, so the combined probe does the same.
$probe = @('unshare', '--user', '--map-root-user', '--mount', '--uts', '--ipc', '--net', '--pid', '--fork', '--cgroup', 'true')
if ((id -u) -eq '0') { $probe = @('setpriv', '--reuid=65534', '--regid=65534', '--clear-groups') + $probe }
$probe[0] = (Get-Command -Name $probe[0] -CommandType Application | Select-Object -First 1).Source

$clock = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module -Name $Manifest
$import = $clock.Elapsed.TotalMilliseconds
$clock.Restart()
$null = Get-UsernsStatus
$first = $clock.Elapsed.TotalMilliseconds

$warmTimes = [System.Collections.Generic.List[double]]::new()
$probeTimes = [System.Collections.Generic.List[double]]::new()
foreach ($i in 1..$Warm) {
    $clock.Restart()
    $null = Get-UsernsStatus
    $warmTimes.Add($clock.Elapsed.TotalMilliseconds)
    $clock.Restart()
    Invoke-Argv $probe
    $probeTimes.Add($clock.Elapsed.TotalMilliseconds)
}

[string]::Format([cultureinfo]::InvariantCulture, '{0:F2} {1:F2} {2:F2} {3:F2}', $import, $first, (Get-Median $warmTimes), (Get-Median $probeTimes))
