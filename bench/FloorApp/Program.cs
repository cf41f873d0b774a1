// FloorApp parse ARGS...  parses ARGS with the options of 'usernstools status' and does nothing else.
// FloorApp probe          starts 'unshare --user true' the way the probes do (argv list, output read) and waits.
// FloorApp both ARGS...   both: the floor of a cold 'usernstools status' before any fact is read or any output written.
// FloorApp spawn          starts 'unshare --user true' with posix_spawn(3) directly, without System.Diagnostics.Process.
// FloorApp both-spawn ARGS...  parse, then the posix_spawn probe: the floor with the leanest process start .NET allows.
// FloorApp children UID GID -- ARGV [-- ARGV ...]  starts every ARGV at once with posix_spawnp(3) as UID:GID, reads the kernel
//                         log as a status does, and waits for them all: what a cold status cannot do without, and nothing else.
using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: FloorApp parse|probe|both|spawn|both-spawn [status options] | children UID GID -- ARGV [-- ARGV ...]");
    return 64;
}

var mode = args[0];
var rest = args[1..];
if (mode == "children")
{
    return Children(rest);
}

Func<int>? probe = mode switch
{
    "probe" or "both" => Probe,
    "spawn" or "both-spawn" => Spawn,
    _ => null,
};
var parse = mode is "parse" or "both" or "both-spawn";
if (!parse && probe is null)
{
    Console.Error.WriteLine($"FloorApp: unknown mode '{mode}'");
    return 64;
}

return parse ? Parse(rest, probe) : probe!();

static int Parse(string[] args, Func<int>? probe)
{
    var user = new Option<string?>("--user", "-u");
    var json = new Option<bool>("--json");
    var from = new Option<string?>("--from");
    var noProbe = new Option<bool>("--no-probe");
    var timeout = new Option<double>("--timeout") { DefaultValueFactory = _ => 5 };
    var status = new Command("status") { user, json, from, noProbe, timeout };
    status.SetAction(async (result, cancellationToken) =>
    {
        _ = result.GetValue(user);
        _ = result.GetValue(json);
        _ = result.GetValue(timeout);
        return probe is null ? 0 : await Task.Run(probe, cancellationToken).ConfigureAwait(false);
    });
    var root = new RootCommand("floor") { status };
    return root.Parse(args).InvokeAsync().GetAwaiter().GetResult();
}

static int Probe()
{
    var psi = new ProcessStartInfo("/usr/bin/unshare")
    {
        UseShellExecute = false,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        RedirectStandardInput = true,
    };
    psi.ArgumentList.Add("--user");
    psi.ArgumentList.Add("true");
    using var process = Process.Start(psi)!;
    process.StandardInput.Close();
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    process.WaitForExit();
    Task.WaitAll(output, error);
    return process.ExitCode;
}

static int Spawn()
{
    string[] argv = ["/usr/bin/unshare", "--user", "true"];
    var pointers = new IntPtr[argv.Length + 1];
    try
    {
        for (var i = 0; i < argv.Length; i++)
        {
            pointers[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
        }

        if (Libc.posix_spawn(out var pid, pointers[0], IntPtr.Zero, IntPtr.Zero, pointers, Libc.Environ()) != 0)
        {
            return 127;
        }

        int status;
        while (Libc.waitpid(pid, out status, 0) < 0)
        {
            if (Marshal.GetLastPInvokeError() != 4)
            {
                return 127;
            }
        }

        // The exit status as the shell reports it: the code when the child exited, 128 + the signal when it was killed.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
    }
    finally
    {
        foreach (var pointer in pointers)
        {
            Marshal.FreeCoTaskMem(pointer);
        }
    }
}

static int Children(string[] args)
{
    if (args.Length < 4 || args[2] != "--")
    {
        Console.Error.WriteLine("usage: FloorApp children UID GID -- ARGV [-- ARGV ...]");
        return 64;
    }

    var uid = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
    var gid = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
    var commands = new List<List<string>>();
    foreach (var word in args[3..])
    {
        if (word == "--" || commands.Count == 0)
        {
            commands.Add(new List<string>());
        }

        if (word != "--")
        {
            commands[^1].Add(word);
        }
    }

    // Root becomes the subject on this thread alone (the raw calls, not glibc's, which would change every thread), as the
    // status's starting threads do: each child starts as the subject, with no supplementary groups.
    if (Libc.geteuid() == 0 && uid != 0)
    {
        var (setgroups, setresgid, setresuid) = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == Architecture.Arm64
            ? (159L, 149L, 147L)
            : (116L, 119L, 117L);
        if (Libc.syscall(setgroups, 0, 0, 0) != 0 || Libc.syscall(setresgid, gid, gid, gid) != 0 || Libc.syscall(setresuid, uid, uid, uid) != 0)
        {
            Console.Error.WriteLine($"FloorApp: cannot become {uid}:{gid}");
            return 1;
        }
    }

    var pids = new List<int>();
    foreach (var argv in commands.Where(c => c.Count > 0))
    {
        var pointers = argv.Select(Marshal.StringToCoTaskMemUTF8).Append(IntPtr.Zero).ToArray();
        if (Libc.posix_spawnp(out var pid, pointers[0], IntPtr.Zero, IntPtr.Zero, pointers, Libc.Environ()) != 0)
        {
            Console.Error.WriteLine($"FloorApp: cannot start {argv[0]}");
            return 127;
        }

        pids.Add(pid);
    }

    // The kernel log as a status reads it, whole, in one call.
    var size = Libc.klogctl(10, null, 0);
    if (size > 0)
    {
        var buffer = GC.AllocateUninitializedArray<byte>((2 * size) + (16 * 1024));
        _ = Libc.klogctl(3, buffer, buffer.Length);
    }

    var failed = 0;
    foreach (var pid in pids)
    {
        int status;
        while (Libc.waitpid(pid, out status, 0) < 0 && Marshal.GetLastPInvokeError() == 4)
        {
        }

        failed += status == 0 ? 0 : 1;
    }

    return failed == 0 ? 0 : 1;
}

internal static class Libc
{
    [DllImport("libc", SetLastError = true)]
    public static extern long syscall(long number, long a, long b, long c);

    [DllImport("libc")]
    public static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    public static extern int klogctl(int type, byte[]? buffer, int length);

    [DllImport("libc", SetLastError = true)]
    public static extern int posix_spawn(out int pid, IntPtr path, IntPtr fileActions, IntPtr attributes, IntPtr[] argv, IntPtr envp);

    [DllImport("libc", SetLastError = true)]
    public static extern int posix_spawnp(out int pid, IntPtr file, IntPtr fileActions, IntPtr attributes, IntPtr[] argv, IntPtr envp);

    [DllImport("libc", SetLastError = true)]
    public static extern int waitpid(int pid, out int status, int options);

    [DllImport("libc")]
    private static extern IntPtr dlsym(IntPtr handle, [MarshalAs(UnmanagedType.LPUTF8Str)] string symbol);

    public static IntPtr Environ() => Marshal.ReadIntPtr(dlsym(IntPtr.Zero, "environ"));
}
