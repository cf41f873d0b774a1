using System.Globalization;
using UsernsTools.Sandbox;
using Xunit;

namespace UsernsTools.Tests.Sandbox;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SandboxLoadCollection
{
    /// <summary>Alone, because it counts this process's descriptors and children, which other tests would change.</summary>
    public const string Name = "Sandbox load (counts descriptors)";
}

/// <summary>Many runs leave no descriptor, child process or memory behind.</summary>
[Collection(SandboxLoadCollection.Name)]
public class SandboxLoadTests
{
    public static TheoryData<BackendKind, int, int> Loads => new()
    {
        { BackendKind.Unshare, 500, 1 },
        { BackendKind.Unshare, 50, 50 },
        { BackendKind.Bwrap, 500, 1 },
        { BackendKind.Bwrap, 50, 50 },
    };

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(Loads))]
    public async Task RunsLeaveNothingBehind(BackendKind backend, int runs, int concurrency)
    {
        var runner = SandboxTestHost.RunnerFor(SandboxTestHost.CallerTools.Uid);
        var spec = SandboxTestHost.Spec(backend, "sh", "-c", "echo out; echo err >&2; read line; echo \"$line\"");
        spec.Mapping = IdentityMapping.RootUser;
        spec.Namespaces = NamespaceKind.Pid;
        spec.Timeout = TimeSpan.FromSeconds(30);

        async Task Batch(int count)
        {
            for (var done = 0; done < count; done += concurrency)
            {
                await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, count - done)).Select(async _ =>
                {
                    var lines = 0;
                    var result = await runner.RunAsync(spec, new ProcessIo { Input = new[] { "in" }, Output = _ => Interlocked.Increment(ref lines) }, CancellationToken.None);
                    Assert.Equal(0, result.ExitCode);
                    Assert.Equal(2, lines);
                }));
            }
        }

        // Warm up: thread pool threads, the spawner thread and lazily loaded code own descriptors and memory of their own.
        // Collected first, so that nothing the warm-up left for a finalizer to close is counted before and gone after:
        // a run must close what it opened by itself, or the count after the runs shows it.
        await Batch(Math.Max(concurrency, 20));
        var memoryBefore = ManagedMemory();
        var targetsBefore = DescriptorTargets();
        var childrenBefore = Children();
        var threadsBefore = Threads();

        await Batch(runs);

        var fdsSettled = await SandboxTestHost.EventuallyAsync(() => DescriptorTargets().Count <= targetsBefore.Count, TimeSpan.FromSeconds(5));
        Assert.True(fdsSettled, $"open descriptors {targetsBefore.Count} before, {DescriptorTargets().Count} after; new: {string.Join(", ", NewTargets(targetsBefore))}");
        var childrenAfter = Children();
        Assert.True(childrenBefore.SequenceEqual(childrenAfter), $"children before: [{string.Join("; ", childrenBefore)}], after: [{string.Join("; ", childrenAfter)}]");
        var growth = ManagedMemory() - memoryBefore;
        Assert.True(growth < 4 * 1024 * 1024, $"managed memory grew by {growth} bytes over {runs} runs; threads {threadsBefore} before, {Threads()} after");
    }

    internal static int Threads() => Directory.GetDirectories("/proc/self/task").Length;

    /// <summary>
    /// What each open descriptor points to ("pipe:[123]", a path), so a failure names what was left open; without
    /// /dev/kmsg, which the engine keeps open once a live status has read it (RingBufferCursor), and without the
    /// descriptors of loaded assemblies. The runtime keeps an assembly's file open for the life of the process, and the
    /// test host loads some of its own lazily, on its own threads, whenever it gets to them: under load that happened
    /// between our two counts (Microsoft.Win32.Registry.dll, referenced by the test platform, opened twice). A run
    /// opens no assembly file, so no leak of a run hides among them.
    /// </summary>
    internal static List<string> DescriptorTargets()
    {
        var targets = new List<string>();
        var entries = Directory.GetFileSystemEntries("/proc/self/fd");
        var images = AppDomain.CurrentDomain.GetAssemblies()
            .Where(assembly => !assembly.IsDynamic && assembly.Location.Length > 0)
            .Select(assembly => assembly.Location)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            string? target;
            try
            {
                target = new FileInfo(entry).LinkTarget;
            }
            catch (IOException)
            {
                continue;
            }

            // Null: closed since the listing (the listing's own descriptor, for one).
            if (target is not null && !images.Contains(target) && target != "/dev/kmsg")
            {
                targets.Add(target);
            }
        }

        return targets;
    }

    /// <summary>The targets open now that were not before, counting duplicates (two descriptors of one pipe are two leaks).</summary>
    internal static IEnumerable<string> NewTargets(List<string> before)
    {
        var left = before.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var target in DescriptorTargets())
        {
            if (left.TryGetValue(target, out var count) && count > 0)
            {
                left[target] = count - 1;
            }
            else
            {
                yield return target;
            }
        }
    }

    private static long ManagedMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>This process's children, zombies included: a zombie is a child nobody reaped.</summary>
    internal static List<string> Children()
    {
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var children = new List<string>();
        foreach (var pid in ProcessTable.ListPids())
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == self)
                {
                    children.Add($"{pid} {fields[0]} {Command(pid)}");
                }
            }
            catch (IOException)
            {
            }
        }

        return children;
    }

    private static string Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
