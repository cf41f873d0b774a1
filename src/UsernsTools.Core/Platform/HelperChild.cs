using System.ComponentModel;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using Mono.Unix.Native;
using UsernsTools.Sandbox;

namespace UsernsTools.Platform;

/// <summary>
/// A helper started with posix_spawn from the thread that serves it, its three pipes, and its exit status, which that
/// thread waits for itself. A cold start pays neither for System.Diagnostics.Process (its signal-handling thread, its user
/// lookups and terminal set-up) nor for a thread to reap the child; the runtime reaps only the children it started itself.
/// </summary>
internal sealed partial class HelperChild : IDisposable
{
    private readonly AnonymousPipeServerStream _input;
    private readonly AnonymousPipeServerStream _output;
    private readonly AnonymousPipeServerStream _error;
    private int? _status;

    private HelperChild(int pid, AnonymousPipeServerStream input, AnonymousPipeServerStream output, AnonymousPipeServerStream error)
    {
        Id = pid;
        _input = input;
        _output = output;
        _error = error;
    }

    public int Id { get; }

    /// <summary>Our end of its stdin.</summary>
    public PipeStream Input => _input;

    /// <summary>Our end of its stdout.</summary>
    public PipeStream Output => _output;

    /// <summary>Our end of its stderr.</summary>
    public PipeStream Error => _error;

    /// <summary>The exit code as Process reports it: the code, or 128 + the signal that killed it; -1 when someone else reaped it.</summary>
    public int ExitCode => _status ?? throw new InvalidOperationException("The helper has not been waited for.");

    /// <summary>
    /// True on a thread that had to leave the process's working directory to start a helper in another one (a C library
    /// without posix_spawn_file_actions_addchdir_np, such as RHEL 8's): nothing that resolves a relative path may run on it
    /// afterwards.
    /// </summary>
    [ThreadStatic]
    private static bool t_leftSharedDirectory;

    /// <summary>Whether this thread has left the process's working directory to start a helper elsewhere.</summary>
    public static bool ThreadLeftSharedDirectory => t_leftSharedDirectory;

    /// <summary>
    /// Starts <paramref name="program"/> with the request's arguments, environment, directory and user, its stdin, stdout
    /// and stderr on pipes. Throws <see cref="Win32Exception"/> with the errno when it cannot start.
    /// </summary>
    public static HelperChild Start(string program, ProcessRequest request) => Start(program, request, PosixSpawn.StartsInDirectory);

    /// <summary>
    /// As above; when <paramref name="directoryInChild"/> is false, the request's directory is entered by this thread
    /// alone (unshare(CLONE_FS), then chdir), which the child inherits, and this thread stays there.
    /// </summary>
    internal static HelperChild Start(string program, ProcessRequest request, bool directoryInChild)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(request);
        var argv = new List<byte[]>(request.Argv.Count) { Encoding.UTF8.GetBytes(program) };
        for (var i = 1; i < request.Argv.Count; i++)
        {
            argv.Add(Encoding.UTF8.GetBytes(request.Argv[i]));
        }

        var envp = CurrentProcess.EnvironmentWith(request.Environment).Select(v => Encoding.UTF8.GetBytes(v.Key + "=" + v.Value)).ToList();
        var directory = request.WorkingDirectory;
        if (directory is not null && !directoryInChild)
        {
            EnterAlone(directory);
            directory = null;
        }

        var (pid, input, output, error) = PosixSpawn.StartPiped((stdin, stdout, stderr) =>
        {
            int Spawn() => PosixSpawn.Start(argv, envp, directory, stdin, stdout, stderr);
            return request.RunAs is { } user ? ThreadCredentials.StartAs(user, Spawn) : Spawn();
        });
        return new HelperChild(pid, input, output, error);
    }

    /// <summary>Waits at most <paramref name="timeout"/> for the helper to exit; true when it did (and was reaped).</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (_status is not null)
        {
            return true;
        }

        if (TryReap())
        {
            return true;
        }

        var deadline = Environment.TickCount64 + (long)Math.Ceiling(Math.Max(0, timeout.TotalMilliseconds));
        var pidfd = pidfd_open(Id, 0);
        try
        {
            while (true)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    return TryReap();
                }

                if (pidfd >= 0)
                {
                    // The descriptor becomes readable when the helper exits: no polling interval to wait out.
                    var fds = new[] { new Pollfd { fd = pidfd, events = PollEvents.POLLIN } };
                    _ = Syscall.poll(fds, (int)Math.Min(left, int.MaxValue));
                }
                else
                {
                    // A kernel before 5.3: look again every millisecond.
                    Thread.Sleep(1);
                }

                if (TryReap())
                {
                    return true;
                }
            }
        }
        finally
        {
            if (pidfd >= 0)
            {
                PosixNative.Close(pidfd);
            }
        }
    }

    /// <summary>Kills the helper and everything it started, and waits for the helper itself.</summary>
    public void KillTree()
    {
        if (_status is not null)
        {
            return;
        }

        ProcessTreeKiller.KillTree(Id, default);
        _ = Syscall.kill(Id, Signum.SIGKILL);
        _status = PosixSpawn.Reap(Id, wait: true);
    }

    public void Dispose()
    {
        _input.Dispose();
        _output.Dispose();
        _error.Dispose();
    }

    private bool TryReap()
    {
        _status = PosixSpawn.Reap(Id, wait: false);
        return _status is not null;
    }

    /// <summary>Moves this thread alone into <paramref name="directory"/>: the process and its other threads stay where they are.</summary>
    private static void EnterAlone(string directory)
    {
        if (!t_leftSharedDirectory)
        {
            if (unshare(CloneFs) != 0)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError());
            }

            t_leftSharedDirectory = true;
        }

        if (Syscall.chdir(directory) != 0)
        {
            throw new Win32Exception(PosixNative.LastError());
        }
    }

    /// <summary>pidfd_open(2), which Mono.Unix does not offer: -1 on a kernel without it.</summary>
    private static int pidfd_open(int pid, uint flags) => (int)LibcSyscall.Call(434, pid, (nint)flags, 0);

    private const int CloneFs = 0x00000200;

    /// <summary>unshare(2), which Mono.Unix does not offer; with CLONE_FS it concerns the calling thread alone.</summary>
    [LibraryImport("libc", SetLastError = true)]
    private static partial int unshare(int flags);
}
