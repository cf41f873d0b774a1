using System.Globalization;
using UsernsTools.Facts;
using UsernsTools.Platform;
using UsernsTools.Sandbox;
using Xunit;

namespace UsernsTools.Tests.Sandbox;

/// <summary>Runners for the caller (root here) and for nobody, and helpers to find a test's processes.</summary>
internal static class SandboxTestHost
{
    public const long Nobody = 65534;

    private static readonly Lazy<SandboxToolFacts> s_caller = new(() => SandboxToolDetector.DetectAsync(CancellationToken.None).GetAwaiter().GetResult());

    public static SandboxToolFacts CallerTools => s_caller.Value;

    /// <summary>Tools facts that run the backend as <paramref name="uid"/> (through setpriv when it is not the caller).</summary>
    public static SandboxToolFacts ToolsFor(long uid) => uid == CallerTools.Uid
        ? CallerTools
        : CallerTools with { RunAs = new UsernsSubject { User = "nobody", Uid = uid, Gid = uid, HasPasswdEntry = false } };

    public static NamespacedProcessRunner RunnerFor(long uid) => new(ToolsFor(uid));

    /// <summary>Users to run as: the caller, and nobody when the caller is root.</summary>
    public static IEnumerable<long> Users()
    {
        yield return CallerTools.Uid;
        if (CallerTools.Uid == 0)
        {
            yield return Nobody;
        }
    }

    /// <summary>(uid, backend) pairs for the backends installed here.</summary>
    public static TheoryData<long, BackendKind> UsersAndBackends()
    {
        var data = new TheoryData<long, BackendKind>();
        foreach (var uid in Users())
        {
            data.Add(uid, BackendKind.Unshare);
            if (CallerTools.BwrapPath is not null)
            {
                data.Add(uid, BackendKind.Bwrap);
            }
        }

        return data;
    }

    /// <summary>A sleep duration no other process uses, so its processes can be found by command line.</summary>
    public static string UniqueSleep() => "1000." + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);

    /// <summary>Live processes whose command line contains <paramref name="marker"/> (zombies have none).</summary>
    public static List<int> ProcessesWith(string marker)
    {
        var found = new List<int>();
        foreach (var pid in ProcessTable.ListPids())
        {
            try
            {
                var cmdline = File.ReadAllText("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/cmdline");
                if (cmdline.Contains(marker, StringComparison.Ordinal) && pid != Environment.ProcessId)
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>Kills leftovers a failed test found, so one failure does not leak into the next test.</summary>
    public static void KillAll(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            NativeSignals.Kill(pid);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the time is up; returns whether it held.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return condition();
    }

    public static NamespaceSpec Spec(BackendKind backend, string file, params string[] args) => new()
    {
        Backend = backend,
        FilePath = file,
        ArgumentList = args.ToList(),
        WorkingDirectory = "/",
    };

    public static async Task<(NamespacedProcessResult Result, List<string> Output, List<string> Error)> RunAsync(
        long uid, NamespaceSpec spec, IEnumerable<string>? input = null, CancellationToken cancellationToken = default)
    {
        var output = new List<string>();
        var error = new List<string>();
        var result = await RunnerFor(uid).RunAsync(spec, new ProcessIo { Output = output.Add, Error = error.Add, Input = input }, cancellationToken);
        return (result, output, error);
    }
}
