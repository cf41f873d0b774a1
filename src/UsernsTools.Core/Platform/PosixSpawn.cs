using System.ComponentModel;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace UsernsTools.Platform;

/// <summary>
/// posix_spawnp(3) with argv and envp as bytes, which Mono.Unix does not offer (its execve takes strings, and fork is
/// unusable in a multithreaded runtime). System.Diagnostics.Process encodes every word as UTF-8, so a word that is
/// not UTF-8 cannot pass through it; this passes whatever bytes the caller has.
/// </summary>
internal static partial class PosixSpawn
{
    private const int ENOSYS = 38;
    private const short POSIX_SPAWN_SETSIGDEF = 0x04;
    private const short POSIX_SPAWN_SETSIGMASK = 0x08;

    // glibc's opaque types, with room to spare: posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128.
    private const int FileActionsSize = 256;
    private const int AttributesSize = 1024;
    private const int SignalSetSize = 256;

    /// <summary>Whether this C library starts a child in another directory (posix_spawn_file_actions_addchdir_np, glibc 2.29 and later).</summary>
    public static bool StartsInDirectory { get; } =
        NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), "posix_spawn_file_actions_addchdir_np", out _);

    /// <summary>
    /// Starts <paramref name="argv"/> (found on PATH when its first word has no slash) with exactly <paramref name="envp"/>,
    /// in <paramref name="workingDirectory"/> when given, with the given descriptors as its stdin, stdout and stderr (or
    /// ours, for null). Signals start at their defaults and unblocked, as System.Diagnostics.Process leaves them. Returns
    /// the pid; throws <see cref="Win32Exception"/> with the errno when it cannot start.
    /// </summary>
    public static int Start(IReadOnlyList<byte[]> argv, IReadOnlyList<byte[]> envp, string? workingDirectory, int? stdin, int? stdout, int? stderr)
    {
        ArgumentNullException.ThrowIfNull(argv);
        ArgumentNullException.ThrowIfNull(envp);
        if (argv.Count == 0)
        {
            throw new ArgumentException("An argv needs at least the program.", nameof(argv));
        }

        var strings = new List<IntPtr>(argv.Count + envp.Count + 1);
        var actions = Marshal.AllocHGlobal(FileActionsSize);
        var attributes = Marshal.AllocHGlobal(AttributesSize);
        var signals = Marshal.AllocHGlobal(SignalSetSize);
        var actionsReady = false;
        var attributesReady = false;
        try
        {
            var argvPointers = CStrings(argv, strings);
            var envpPointers = CStrings(envp, strings);
            Check(posix_spawn_file_actions_init(actions));
            actionsReady = true;
            foreach (var (fd, target) in new[] { (stdin, 0), (stdout, 1), (stderr, 2) })
            {
                if (fd is { } source)
                {
                    // dup2 leaves the copy without close-on-exec; our own descriptor keeps it and stays ours.
                    Check(posix_spawn_file_actions_adddup2(actions, source, target));
                }
            }

            if (workingDirectory is not null)
            {
                try
                {
                    Check(posix_spawn_file_actions_addchdir_np(actions, CString(System.Text.Encoding.UTF8.GetBytes(workingDirectory))));
                }
                catch (EntryPointNotFoundException)
                {
                    // glibc before 2.29 (only an unshare without --wd needs a start directory): say so rather than crash.
                    throw new Win32Exception(ENOSYS, $"This C library cannot start a program in another directory ({workingDirectory}) from bytes.");
                }
            }

            Check(posix_spawnattr_init(attributes));
            attributesReady = true;
            Check(sigfillset(signals));
            Check(posix_spawnattr_setsigdefault(attributes, signals));
            Check(sigemptyset(signals));
            Check(posix_spawnattr_setsigmask(attributes, signals));
            Check(posix_spawnattr_setflags(attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK));
            var error = posix_spawnp(out var pid, CString(argv[0]), actions, attributes, argvPointers, envpPointers);
            if (error != 0)
            {
                throw new Win32Exception(error);
            }

            return pid;
        }
        finally
        {
            if (actionsReady)
            {
                _ = posix_spawn_file_actions_destroy(actions);
            }

            if (attributesReady)
            {
                _ = posix_spawnattr_destroy(attributes);
            }

            Marshal.FreeHGlobal(actions);
            Marshal.FreeHGlobal(attributes);
            Marshal.FreeHGlobal(signals);
            foreach (var pointer in strings)
            {
                Marshal.FreeHGlobal(pointer);
            }
        }
    }

    /// <summary>
    /// Starts a child with three new pipes as its stdin, stdout and stderr, through <paramref name="start"/>, which is
    /// given the descriptors of the child's ends (the caller may wrap the start, as a switch of user does). The pipes are
    /// created close-on-exec, so a child started at the same time from another thread inherits none of them; once it has
    /// started, only the child holds its ends, and the end of its output is the end of the pipe.
    /// </summary>
    public static (int Pid, AnonymousPipeServerStream Input, AnonymousPipeServerStream Output, AnonymousPipeServerStream Error) StartPiped(
        Func<int, int, int, int> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var input = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.None);
        var output = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        var error = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        try
        {
            var pid = start(ClientFd(input), ClientFd(output), ClientFd(error));
            input.DisposeLocalCopyOfClientHandle();
            output.DisposeLocalCopyOfClientHandle();
            error.DisposeLocalCopyOfClientHandle();
            return (pid, input, output, error);
        }
        catch
        {
            input.Dispose();
            output.Dispose();
            error.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reaps the child <paramref name="pid"/>: its exit code as Process reports it (128 + the signal that killed it), -1
    /// when someone else reaped it (its status is lost), null while it still runs (only when not <paramref name="wait"/>ing).
    /// </summary>
    public static int? Reap(int pid, bool wait)
    {
        while (true)
        {
            var reaped = Syscall.waitpid(pid, out var status, wait ? 0 : WaitOptions.WNOHANG);
            if (reaped == pid)
            {
                return Syscall.WIFSIGNALED(status) ? 128 + (int)Syscall.WTERMSIG(status) : Syscall.WEXITSTATUS(status);
            }

            if (reaped == 0)
            {
                return null;
            }

            if (PosixNative.LastError() != PosixNative.EINTR)
            {
                // ECHILD: someone else reaped it.
                return -1;
            }
        }
    }

    private static int ClientFd(AnonymousPipeServerStream pipe) => (int)pipe.ClientSafePipeHandle.DangerousGetHandle();

    private static void Check(int error)
    {
        if (error != 0)
        {
            // The file-action and attribute calls return the error; sigfillset and sigemptyset return -1 with errno.
            throw new Win32Exception(error == -1 ? Marshal.GetLastPInvokeError() : error);
        }
    }

    /// <summary>NUL-terminated copies of <paramref name="words"/> and a null-terminated array of pointers to them.</summary>
    private static IntPtr[] CStrings(IReadOnlyList<byte[]> words, List<IntPtr> owned)
    {
        var pointers = new IntPtr[words.Count + 1];
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (Array.IndexOf(word, (byte)0) >= 0)
            {
                throw new ArgumentException("A word of an argv or environment cannot hold a NUL byte.", nameof(words));
            }

            var pointer = Marshal.AllocHGlobal(word.Length + 1);
            owned.Add(pointer);
            Marshal.Copy(word, 0, pointer, word.Length);
            Marshal.WriteByte(pointer, word.Length, 0);
            pointers[i] = pointer;
        }

        return pointers;
    }

    private static byte[] CString(byte[] word)
    {
        var text = new byte[word.Length + 1];
        word.CopyTo(text, 0);
        return text;
    }

    [LibraryImport("libc")]
    private static partial int posix_spawnp(out int pid, byte[] file, IntPtr fileActions, IntPtr attributes, IntPtr[] argv, IntPtr[] envp);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_init(IntPtr fileActions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_destroy(IntPtr fileActions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_adddup2(IntPtr fileActions, int fd, int newFd);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_addchdir_np(IntPtr fileActions, byte[] path);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_init(IntPtr attributes);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_destroy(IntPtr attributes);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setflags(IntPtr attributes, short flags);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setsigdefault(IntPtr attributes, IntPtr signals);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setsigmask(IntPtr attributes, IntPtr signals);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sigfillset(IntPtr signals);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sigemptyset(IntPtr signals);
}
