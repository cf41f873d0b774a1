#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

# Interactive runs in a real pseudo-terminal (tmux): after the program ends, however it ends, the caller's shell
# must own the terminal again, with its settings, and answer at the same prompt.

BeforeDiscovery {
    $hasTmux = [bool](Get-Command -Name tmux -CommandType Application -ErrorAction SilentlyContinue)
    $hasBwrap = [bool](Get-Command -Name bwrap -CommandType Application -ErrorAction SilentlyContinue)
}

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    $module = "$root/out/UsernsTools/$version/UsernsTools.psd1"
    $dotnet = (Get-Command -Name dotnet -CommandType Application | Select-Object -First 1).Source

    # test.sh builds Release; a developer's build may be Debug: take the newest.
    $cli = Get-ChildItem -Path "$root/src/UsernsTools.Cli/bin/*/net10.0/usernstools.dll" -ErrorAction SilentlyContinue |
        Sort-Object -Property LastWriteTimeUtc -Descending |
        Select-Object -First 1 -ExpandProperty FullName

    # The pinned pwsh, as `dotnet pwsh` runs it; without a profile so the prompt is the default one.
    $pwsh = "$dotnet pwsh -NoProfile -NoLogo"
    $pwshPrompt = '^PS .*> ?\s*$'
    # Not anchored at the line's start: a prompt that follows a command line filling the pane's width is joined to it.
    $bashPrompt = '(^|\s)\S*[$#]\s*$'

    function Start-Terminal {
        param([string] $Command)
        $script:socket = "usernstools-tty-$PID-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        # A server of its own (-L), without the user's tmux configuration; the pane stays after its shell
        # died, so a failure shows what the shell printed last.
        & tmux -L $script:socket -f /dev/null new-session -d -x 160 -y 50 -c $root $Command ';' set-option remain-on-exit on
        if ($LASTEXITCODE -ne 0) { throw "tmux could not start '$Command'" }
    }

    function Stop-Terminal {
        if ($script:socket) {
            & tmux -L $script:socket kill-server 2>$null
            $script:socket = $null
        }
    }

    function Get-Pane {
        (& tmux -L $script:socket capture-pane -p -J -S -200) -join "`n"
    }

    function Send-Line {
        param([string] $Text)
        & tmux -L $script:socket send-keys -l $Text
        & tmux -L $script:socket send-keys Enter
    }

    # Polls the pane until its text matches; fails at once when the shell in it died.
    function Wait-Pane {
        param([string] $Pattern, [switch] $LastLine, [double] $Seconds = 60)
        $deadline = [datetime]::UtcNow.AddSeconds($Seconds)
        while ($true) {
            $text = Get-Pane
            $subject = if ($LastLine) { @($text -split "`n" | Where-Object { $_.Trim() })[-1] } else { $text }
            if ($subject -match $Pattern) { return }
            if ((& tmux -L $script:socket display-message -p '#{pane_dead}') -eq '1') {
                throw "The terminal's shell died while waiting for /$Pattern/. The terminal showed:`n$text"
            }
            if ([datetime]::UtcNow -gt $deadline) {
                throw "Timed out waiting for /$Pattern/. The terminal showed:`n$text"
            }
            Start-Sleep -Milliseconds 150
        }
    }

    function Start-Pwsh {
        Start-Terminal $pwsh
        Wait-Pane $pwshPrompt -LastLine
        Send-Line "Import-Module '$module'; 'imported-' + (6*7)"
        Wait-Pane '(?m)^imported-42\s*$'
        Wait-Pane $pwshPrompt -LastLine
    }

    # Answers in the inner shell: it is the sandbox's (pid 1, hostname sbx), and it reads the terminal.
    function Confirm-Sandbox {
        Wait-Pane $bashPrompt -LastLine
        Send-Line 'echo "host=$(hostname) pid=$$"'
        Wait-Pane '(?m)^host=sbx pid=1\s*$'
        Wait-Pane $bashPrompt -LastLine
    }

    # The example of the help: a shell in new pid and UTS namespaces, with job control, exits with 4.
    function Test-ShellInPidNamespace {
        param([string] $Backend)
        Start-Pwsh
        Send-Line "Invoke-NamespacedProcess bash '--norc' -MapRootUser -Namespace Pid,Uts -Hostname sbx -MountProc -Interactive -Backend $Backend"
        Confirm-Sandbox

        # Job control works inside (Ctrl+Z, fg), and Ctrl+C goes to the program in the foreground, not to pwsh.
        Send-Line 'sleep 100 & fg'
        Wait-Pane '(?m)^sleep 100\s*$'
        & tmux -L $script:socket send-keys C-z
        Wait-Pane '(?m)Stopped\s+sleep 100\s*$'
        Wait-Pane $bashPrompt -LastLine
        Send-Line 'fg'
        Wait-Pane '(?ms)^sleep 100\s*$.*^sleep 100\s*$'
        & tmux -L $script:socket send-keys C-c
        Wait-Pane $bashPrompt -LastLine
        Send-Line 'echo "after-ctrl-c=$?"'
        Wait-Pane '(?m)^after-ctrl-c=130\s*$'

        # The shell leaves echo off; the caller gets its own settings back.
        Send-Line 'stty -echo; exit 4'
        Wait-Pane $pwshPrompt -LastLine
        Send-Line $showSettings
        Wait-Pane '(?m)^rc=4 icanon echo\s*$'
    }

    # The settings a user notices: line editing and echo.
    $showSettings = '$rc = $LASTEXITCODE; "rc=$rc $((-split ((stty -a) -join '' '')) -match ''^-?(echo|icanon)$'')"'
}

Describe 'Invoke-NamespacedProcess -Interactive' -Skip:(-not $hasTmux) {
    AfterEach {
        Stop-Terminal
    }

    Context 'The caller gets its terminal back' {
        It 'pwsh answers at the same prompt after a shell in a pid namespace exits (unshare)' {
            Test-ShellInPidNamespace -Backend Unshare
        }

        It 'pwsh answers at the same prompt after a shell in a pid namespace exits (bwrap)' -Skip:(-not $hasBwrap) {
            Test-ShellInPidNamespace -Backend Bwrap
        }

        It 'pwsh answers at the same prompt after usernstools run exits' {
            $cli | Should -Not -BeNullOrEmpty -Because 'the command is built first (dotnet build src/UsernsTools.Cli)'
            Start-Terminal $pwsh
            Wait-Pane $pwshPrompt -LastLine
            Send-Line "& '$dotnet' '$cli' run --map-root --ns user,pid,uts --hostname sbx --mount-proc -- bash --norc"
            Confirm-Sandbox
            Send-Line 'stty -echo; exit 4'
            Wait-Pane $pwshPrompt -LastLine
            Send-Line $showSettings
            Wait-Pane '(?m)^rc=4 icanon echo\s*$'
        }

        It 'bash answers at the same prompt after usernstools run exits, with echo on again' {
            $cli | Should -Not -BeNullOrEmpty -Because 'the command is built first (dotnet build src/UsernsTools.Cli)'
            Start-Terminal 'bash --norc --noprofile'
            Wait-Pane $bashPrompt -LastLine
            Send-Line "PS1='outer> '"
            Wait-Pane '^outer>\s*$' -LastLine
            Send-Line "'$dotnet' '$cli' run --map-root --ns user,pid,uts --hostname sbx --mount-proc -- bash --norc"
            Confirm-Sandbox

            # bash keeps the settings a job leaves after a normal exit: only usernstools can undo `stty -echo`.
            Send-Line 'stty -echo; exit 4'
            Wait-Pane '^outer>\s*$' -LastLine
            Send-Line 'echo "rc=$? $(stty -a | grep -o -w -e -echo -e echo | head -n 1)"'
            Wait-Pane '(?m)^rc=4 echo\s*$'
        }
    }

    Context 'A program that stops itself' {
        It 'gives the terminal back when a shell suspends itself (<Front>)' -TestCases @(
            @{ Front = 'cmdlet'; Command = "Invoke-NamespacedProcess bash '--norc' -MapRootUser -Interactive"; Message = 'bash stopped itself' }
            @{ Front = 'usernstools run'; Command = "& '{0}' '{1}' run --map-root -- bash --norc"; Message = 'usernstools: the program stopped itself' }
        ) {
            if ($Front -ne 'cmdlet') {
                $cli | Should -Not -BeNullOrEmpty -Because 'the command is built first (dotnet build src/UsernsTools.Cli)'
            }

            Start-Pwsh
            Send-Line ($Command -f $dotnet, $cli)
            Wait-Pane $bashPrompt -LastLine
            Send-Line 'echo "inside-$((6*7))"'
            Wait-Pane '(?m)^inside-42\s*$'

            # Without a pid namespace the shell can stop itself, with its own group in the foreground: pwsh
            # cannot resume it, and Ctrl+C would reach only the stopped shell.
            Send-Line 'suspend'
            Wait-Pane ([regex]::Escape($Message)) -Seconds 20
            Wait-Pane $pwshPrompt -LastLine
            Send-Line $showSettings
            Wait-Pane '(?m)^rc=137 icanon echo\s*$'
        }
    }

    Context 'Timeout' {
        It 'gives the terminal back when the timeout kills a shell that owns it' {
            Start-Pwsh
            Send-Line "Invoke-NamespacedProcess bash '--norc' -MapRootUser -Namespace Pid,Uts -Hostname sbx -MountProc -Interactive -Timeout 5"
            Confirm-Sandbox
            Send-Line 'stty -echo -icanon'
            Wait-Pane 'did not end within 5 seconds'
            Wait-Pane $pwshPrompt -LastLine
            Send-Line $showSettings
            Wait-Pane '(?m)^rc=\d+ icanon echo\s*$'
        }
    }
}
