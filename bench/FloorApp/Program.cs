// FloorApp parse ARGS...  parses ARGS with the options of 'usernstools status' and does nothing else.
// FloorApp probe          starts 'unshare --user true' the way the probes do (argv list, output read) and waits.
// FloorApp both ARGS...   both: the floor of a cold 'usernstools status' before any fact is read or any output written.
// FloorApp spawn          starts 'unshare --user true' with posix_spawn(3) directly, without System.Diagnostics.Process.
// FloorApp both-spawn ARGS...  parse, then the posix_spawn probe: the floor with the leanest process start .NET allows.
using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: FloorApp parse|probe|both|spawn|both-spawn [status options]");
    return 64;
}

var mode = args[0];
var rest = args[1..];
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

internal static class Libc
{
    [DllImport("libc", SetLastError = true)]
    public static extern int posix_spawn(out int pid, IntPtr path, IntPtr fileActions, IntPtr attributes, IntPtr[] argv, IntPtr envp);

    [DllImport("libc", SetLastError = true)]
    public static extern int waitpid(int pid, out int status, int options);

    [DllImport("libc")]
    private static extern IntPtr dlsym(IntPtr handle, [MarshalAs(UnmanagedType.LPUTF8Str)] string symbol);

    public static IntPtr Environ() => Marshal.ReadIntPtr(dlsym(IntPtr.Zero, "environ"));
}
