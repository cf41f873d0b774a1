using System.Globalization;
using UsernsTools.Platform;
using UsernsTools.Sandbox;
using Xunit;

namespace UsernsTools.Tests.Sandbox;

public class ProcessNamespaceReaderTests
{
    public static TheoryData<long, BackendKind> UsersAndBackends => SandboxTestHost.UsersAndBackends();

    [Fact]
    public void CallerIsIsolatedFromNothing()
    {
        var self = ProcessNamespaceReader.ReadSelf();
        Assert.Equal(NamespaceKind.None, self.IsolatedFrom);
        Assert.Equal(Environment.ProcessId, self.ProcessId);
        var link = new FileInfo("/proc/self/ns/user").LinkTarget!;
        Assert.Equal(link, $"user:[{self.UserNamespace}]");
        Assert.NotEmpty(self.UidMap);
    }

    [Fact]
    public void MissingProcessIsAnError()
    {
        var ex = Assert.Throws<UsernsException>(() => ProcessNamespaceReader.Read(int.MaxValue));
        Assert.Equal(SandboxErrorIds.ProcessNotFound, ex.ErrorId);
        Assert.Equal(UsernsErrorCategory.ObjectNotFound, ex.Category);
    }

    [Fact]
    public void MapsAndInodesParse()
    {
        var map = ProcessNamespaceReader.ParseMap("         0      65534          1\n         1     200000      65535\n");
        Assert.Equal(new[] { "0 65534 1", "1 200000 65535" }, map.Select(e => e.ToString()));
        Assert.Empty(ProcessNamespaceReader.ParseMap(""));
        Assert.Equal(4026531837, ProcessNamespaceReader.ParseInode("user:[4026531837]"));
        Assert.Null(ProcessNamespaceReader.ParseInode("garbage"));
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task SandboxedProcessShowsTheNamespacesItWasGiven(long uid, BackendKind backend)
    {
        var sleep = SandboxTestHost.UniqueSleep();
        var spec = SandboxTestHost.Spec(backend, "sleep", sleep);
        spec.Mapping = IdentityMapping.RootUser;
        spec.Namespaces = NamespaceKind.Uts | NamespaceKind.Ipc | NamespaceKind.Net;
        using var cancel = new CancellationTokenSource();
        var run = SandboxTestHost.RunnerFor(uid).RunAsync(spec, ProcessIo.None, cancel.Token);
        ProcessNamespace? seen = null;
        var found = await SandboxTestHost.EventuallyAsync(
            () =>
            {
                // The sleep itself, once it has been exec'd inside (not setpriv or bwrap on the way).
                var pid = SandboxTestHost.ProcessesWith(sleep).FirstOrDefault(p => File.ReadAllText($"/proc/{p}/comm").Trim() == "sleep");
                seen = pid == 0 ? null : ProcessNamespaceReader.Read(pid);
                return seen is not null;
            },
            TimeSpan.FromSeconds(5));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(found);
        // Pid too: a run that dies with its caller holds its tree in a pid namespace of its own.
        var expected = NamespaceKind.User | NamespaceKind.Pid | NamespaceKind.Uts | NamespaceKind.Ipc | NamespaceKind.Net;
        if (backend == BackendKind.Bwrap)
        {
            expected |= NamespaceKind.Mount;
        }

        Assert.Equal(expected, seen!.IsolatedFrom);
        Assert.Equal(NamespaceKind.None, seen.Unreadable & expected);
        Assert.Equal($"0 {uid.ToString(CultureInfo.InvariantCulture)} 1", Assert.Single(seen.UidMap).ToString());
        Assert.False(seen.IsInitialUserNamespace);
        Assert.NotEqual(ProcessNamespaceReader.ReadSelf().UserNamespace, seen.UserNamespace);
    }
}
