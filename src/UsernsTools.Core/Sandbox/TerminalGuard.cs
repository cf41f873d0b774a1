using Microsoft.Win32.SafeHandles;
using UsernsTools.Platform;

namespace UsernsTools.Sandbox;

/// <summary>
/// Gives the controlling terminal back after an interactive run: its foreground process group and its settings
/// (termios), as recorded before the run. An interactive shell in the sandbox makes its own process group the
/// foreground one, and in a new pid namespace it cannot hand the terminal back when it exits (the caller's group
/// does not exist there): the terminal is left to a dead group, and the caller's next read fails with EIO, which
/// kills pwsh. A program killed by a timeout, or one that turned echo off, leaves the terminal as it was too.
/// </summary>
internal sealed class TerminalGuard : IDisposable
{
    private readonly SafeFileHandle _terminal;
    private readonly int _foreground;
    private readonly byte[] _attributes;

    private TerminalGuard(SafeFileHandle terminal, int foreground, byte[] attributes)
    {
        _terminal = terminal;
        _foreground = foreground;
        _attributes = attributes;
    }

    /// <summary>Records the controlling terminal's state; null when the process has no controlling terminal.</summary>
    public static TerminalGuard? Capture()
    {
        var terminal = Terminal.OpenControlling();
        if (terminal is null)
        {
            return null;
        }

        try
        {
            return new TerminalGuard(terminal, Terminal.GetForegroundProcessGroup(terminal), Terminal.GetAttributes(terminal));
        }
        catch (UsernsException)
        {
            // Not a terminal we can control (hung up, or /dev/tty is not this session's): nothing to give back.
            terminal.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Whether the terminal's foreground group is another one than the caller's and all its processes are
    /// stopped: a program in the sandbox with job control stopped itself while it owned the terminal.
    /// Nothing can resume it then (the caller has no job control over it), and Ctrl+C would only reach it.
    /// </summary>
    public bool IsHeldByStoppedGroup()
    {
        try
        {
            var current = Terminal.GetForegroundProcessGroup(_terminal);
            return current > 0 && current != _foreground && ProcessTable.IsStoppedGroup(current);
        }
        catch (UsernsException)
        {
            return false;
        }
    }

    /// <summary>Gives back the recorded foreground group and settings, then closes the terminal.</summary>
    public void Dispose()
    {
        try
        {
            Restore();
        }
        catch (UsernsException)
        {
            // The terminal hung up meanwhile (EIO, ENOTTY): there is nothing left to give back, and the run's own
            // outcome matters more than this.
        }
        finally
        {
            _terminal.Dispose();
        }
    }

    private void Restore()
    {
        // We may be in the background now; tcsetpgrp and tcsetattr would then stop us with SIGTTOU.
        // Blocked for this thread only, which makes both calls before unblocking it.
        var mask = Terminal.BlockSignal(Terminal.SigTtou);
        try
        {
            var current = Terminal.GetForegroundProcessGroup(_terminal);

            // The session leader (the user's shell) holds it when it took the terminal back itself, after Ctrl+Z
            // stopped us and `bg` resumed us in the background: that is the shell's decision, not the sandbox's.
            if (current != _foreground && current != Terminal.GetSessionId())
            {
                Terminal.SetForegroundProcessGroup(_terminal, _foreground);
            }

            if (Terminal.GetForegroundProcessGroup(_terminal) == _foreground)
            {
                Terminal.SetAttributes(_terminal, _attributes);
            }
        }
        finally
        {
            Terminal.SetSignalMask(mask);
        }
    }
}
