using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace UsernsTools.Platform;

/// <summary>
/// The controlling terminal's job-control state: tcgetpgrp(3), tcsetpgrp(3), tcgetattr(3), tcsetattr(3), getsid(2)
/// and pthread_sigmask(3). Mono.Unix has no tc*pgrp, so these are source-generated imports of libc. termios and
/// sigset_t are kept as opaque byte buffers: they are only ever read back and written unchanged, so their layout
/// (which differs between architectures) does not matter.
/// </summary>
internal static partial class Terminal
{
    /// <summary>The error id of a failed terminal call.</summary>
    public const string ControlFailedErrorId = "TerminalControlFailed";

    /// <summary>SIGTTOU: sent to a background process that changes the terminal; its default action stops the process.</summary>
    public const int SigTtou = 22;

    /// <summary>Larger than struct termios (60 bytes with glibc on Linux) and sigset_t (128 bytes) on every architecture.</summary>
    private const int BufferSize = 256;

    private const int TCSANOW = 0;
    private const int SIG_BLOCK = 0;
    private const int SIG_SETMASK = 2;

    /// <summary>Opens /dev/tty, this process's controlling terminal; null when it has none (a service, a pipe-only CI job).</summary>
    public static SafeFileHandle? OpenControlling()
    {
        try
        {
            return File.OpenHandle("/dev/tty", FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // ENXIO: no controlling terminal.
            return null;
        }
    }

    /// <summary>The terminal's foreground process group (tcgetpgrp).</summary>
    public static int GetForegroundProcessGroup(SafeHandle terminal)
    {
        var group = tcgetpgrp(terminal);
        return group >= 0 ? group : throw Failure("tcgetpgrp");
    }

    /// <summary>
    /// Makes <paramref name="group"/> the terminal's foreground process group (tcsetpgrp). From a background group
    /// this stops the process with SIGTTOU unless the calling thread blocks it (<see cref="BlockSignal"/>).
    /// </summary>
    public static void SetForegroundProcessGroup(SafeHandle terminal, int group)
    {
        if (tcsetpgrp(terminal, group) != 0)
        {
            throw Failure("tcsetpgrp");
        }
    }

    /// <summary>The terminal's settings (tcgetattr), as an opaque struct termios.</summary>
    public static byte[] GetAttributes(SafeHandle terminal)
    {
        var termios = new byte[BufferSize];
        return tcgetattr(terminal, termios) == 0 ? termios : throw Failure("tcgetattr");
    }

    /// <summary>Applies settings read by <see cref="GetAttributes"/> at once (tcsetattr TCSANOW); SIGTTOU as for <see cref="SetForegroundProcessGroup"/>.</summary>
    public static void SetAttributes(SafeHandle terminal, byte[] termios)
    {
        ArgumentNullException.ThrowIfNull(termios);
        if (tcsetattr(terminal, TCSANOW, termios) != 0)
        {
            throw Failure("tcsetattr");
        }
    }

    /// <summary>The session id of this process (getsid(0)): the process group of the session leader, the login shell.</summary>
    public static int GetSessionId()
    {
        var session = getsid(0);
        return session >= 0 ? session : throw Failure("getsid");
    }

    /// <summary>Blocks <paramref name="signal"/> for the calling thread only; returns the previous mask for <see cref="SetSignalMask"/>.</summary>
    public static byte[] BlockSignal(int signal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(signal, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(signal, 64);

        // sigaddset: bit (signal - 1) of an array of unsigned longs, little-endian on the architectures .NET runs on Linux.
        var set = new byte[BufferSize];
        set[(signal - 1) / 8] = (byte)(1 << ((signal - 1) % 8));
        var previous = new byte[BufferSize];
        var error = pthread_sigmask(SIG_BLOCK, set, previous);
        return error == 0 ? previous : throw Failure("pthread_sigmask", error);
    }

    /// <summary>Restores the calling thread's signal mask returned by <see cref="BlockSignal"/>.</summary>
    public static void SetSignalMask(byte[] mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var error = pthread_sigmask(SIG_SETMASK, mask, null);
        if (error != 0)
        {
            throw Failure("pthread_sigmask", error);
        }
    }

    private static UsernsException Failure(string call, int? errno = null)
    {
        var code = errno ?? Marshal.GetLastPInvokeError();
        return new UsernsException(
            ControlFailedErrorId,
            UsernsErrorCategory.ResourceUnavailable,
            $"{call} on the controlling terminal failed: {Marshal.GetPInvokeErrorMessage(code)}",
            "/dev/tty",
            new IOException(Marshal.GetPInvokeErrorMessage(code), code));
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int tcgetpgrp(SafeHandle fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int tcsetpgrp(SafeHandle fd, int pgrp);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int tcgetattr(SafeHandle fd, [Out] byte[] termios);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int tcsetattr(SafeHandle fd, int optionalActions, [In] byte[] termios);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getsid(int pid);

    // Returns the error number instead of setting errno.
    [LibraryImport("libc")]
    private static partial int pthread_sigmask(int how, [In] byte[] set, [Out] byte[]? oldset);
}
