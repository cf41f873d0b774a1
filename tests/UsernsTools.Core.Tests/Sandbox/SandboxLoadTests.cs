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
        await Batch(Math.Max(concurrency, 20));
        var fdsBefore = OpenDescriptors();
        var childrenBefore = Children();
        var memoryBefore = ManagedMemory();

        await Batch(runs);

        var fdsSettled = await SandboxTestHost.EventuallyAsync(() => OpenDescriptors() <= fdsBefore, TimeSpan.FromSeconds(5));
        Assert.True(fdsSettled, $"open descriptors {fdsBefore} before, {OpenDescriptors()} after");
        Assert.Equal(childrenBefore, Children());
        var growth = ManagedMemory() - memoryBefore;
        Assert.True(growth < 4 * 1024 * 1024, $"managed memory grew by {growth} bytes over {runs} runs");
    }

    private static int OpenDescriptors() => Directory.GetFileSystemEntries("/proc/self/fd").Length;

    private static long ManagedMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>This process's children, zombies included: a zombie is a child nobody reaped.</summary>
    private static List<string> Children()
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
                    children.Add($"{pid} {fields[0]}");
                }
            }
            catch (IOException)
            {
            }
        }

        return children;
    }
}
