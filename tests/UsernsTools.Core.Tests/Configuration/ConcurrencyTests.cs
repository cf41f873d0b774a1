using System.Globalization;
using System.Text;
using UsernsTools.Configuration;
using Xunit;

namespace UsernsTools.Tests.Configuration;

public class ConcurrencyTests
{
    private const string Max = "user.max_user_namespaces";
    private const string DropIn = "/etc/sysctl.d/99-zz-usernstools.conf";

    /// <summary>
    /// 20 appliers on separate threads, each with its own lock handle, set 20 different values. If they are
    /// serialised, every journal record's "before" is exactly the "after" of one other record: the records form a
    /// single chain from the starting value, and the file holds one whole value at every step.
    /// </summary>
    [Fact]
    public async Task TwentyConcurrentAppliersSerialiseIntoOneChainOfJournals()
    {
        using var root = new TestRoot().WithProc(Max, "1000");
        // Dedicated threads released together: pool threads would start one or two at a time and hide a race.
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(1, 20).Select(i => Task.Factory.StartNew(
            () =>
            {
                start.Wait();
                return Remediation.SetSettingAsync(new SetSettingRequest(Max, (1000 + i).ToString(CultureInfo.InvariantCulture)), root.Context())
                    .GetAwaiter().GetResult();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToList();
        Thread.Sleep(200);
        start.Set();
        var results = await Task.WhenAll(tasks);

        Assert.All(results, r => Assert.True(r.Changed));
        var records = new Journal(root.Path).List();
        Assert.Equal(20, records.Count);
        Assert.All(records, r => Assert.Equal(BackupState.Complete, r.State));
        Assert.Equal(20, results.Select(r => r.BackupId).Distinct().Count());

        var next = new Dictionary<string, string>();
        foreach (var record in records)
        {
            var file = record.Entries.Single(e => e.Kind == JournalEntryKind.File);
            var before = file.Existed ? SysctlDropIn.ValueOf(Encoding.UTF8.GetString(file.ToSnapshot().Content), Max)! : "none";
            var runtimeBefore = record.Entries.Single(e => e.Kind == JournalEntryKind.Runtime).Value!;
            var after = record.Changes.Single(c => c.Kind == ChangeKind.RuntimeSetting).After!;
            Assert.Equal(before == "none" ? "1000" : before, runtimeBefore);
            next.Add(before, after);
        }

        var value = "none";
        var visited = 0;
        while (next.TryGetValue(value, out var following))
        {
            value = following;
            visited++;
        }

        Assert.Equal(20, visited);
        Assert.Equal(SysctlDropIn.Header + $"user.max_user_namespaces = {value}\n", root.Text(DropIn));
        Assert.Equal(value, root.Proc(Max));
        Assert.Equal(new[] { "99-zz-usernstools.conf" }, Directory.EnumerateFileSystemEntries(root.Full("/etc/sysctl.d")).Select(Path.GetFileName));
    }

    [Fact]
    public void TheLockExcludesASecondHandleInTheSameProcess()
    {
        using var root = new TestRoot();
        using (ConfigurationLock.Acquire(root.Path, TimeSpan.FromSeconds(5), CancellationToken.None))
        {
            var ex = Assert.Throws<UsernsTools.Platform.UsernsException>(() => ConfigurationLock.Acquire(root.Path, TimeSpan.FromMilliseconds(200), CancellationToken.None));
            Assert.Equal("ConfigurationLocked", ex.ErrorId);
        }

        using var again = ConfigurationLock.Acquire(root.Path, TimeSpan.FromSeconds(5), CancellationToken.None);
    }
}
