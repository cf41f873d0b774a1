using System.Diagnostics;
using UsernsTools.Platform;
using UsernsTools.Probes;
using Xunit;

namespace UsernsTools.Tests.Probes;

/// <summary>How the prober runs helpers and turns their outcome into results, with scripted helpers.</summary>
public sealed class UsernsProberTests : IDisposable
{
    private static readonly string[] s_allNames =
    {
        ProbeNames.CreateUserNamespace, ProbeNames.MapRootUser, ProbeNames.Mount, ProbeNames.Pid, ProbeNames.Net,
        ProbeNames.Uts, ProbeNames.Ipc, ProbeNames.Cgroup, ProbeNames.Time,
    };

    private readonly TempTools _tools = new();
    private readonly string _unshare;
    private readonly string _setpriv;

    public UsernsProberTests()
    {
        // Stand-ins that exist on disk (the prober checks that); the fake runner never starts them.
        _unshare = _tools.Script("unshare", "exit 99");
        _setpriv = _tools.Script("setpriv", "exit 99");
    }

    public void Dispose() => _tools.Dispose();

    [Fact]
    public async Task OneSucceedingCombinedCommandProvesEveryProbe()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exited(0));

        var results = await UsernsProber.RunAsync(Request(runner), UnshareProbeSpec.All, timeNamespaces: true, CancellationToken.None);

        Assert.Equal(s_allNames, results.Select(r => r.Name));
        var request = Assert.Single(runner.Requests);
        Assert.Equal(
            new[] { _unshare, "--user", "--map-root-user", "--mount", "--pid", "--fork", "--net", "--uts", "--ipc", "--cgroup", "--time", "true" },
            request.Argv);
        Assert.All(results, r =>
        {
            Assert.True(r.Succeeded);
            Assert.Equal(ProbeStage.None, r.Stage);
            Assert.Equal(Errno.None, r.Errno);
            Assert.Equal(0, r.ExitCode);
            Assert.Equal(request.Argv, r.Command);
            Assert.Equal("root", r.User);
        });
    }

    [Fact]
    public async Task HelpersRunInTheCLocaleFromTheRootDirectoryWithTheTimeout()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exited(0));

        await UsernsProber.RunAsync(Request(runner) with { Timeout = TimeSpan.FromSeconds(3) }, UnshareProbeSpec.All, timeNamespaces: true, CancellationToken.None);

        var request = Assert.Single(runner.Requests);
        Assert.Equal("C", request.Environment!["LC_ALL"]);
        Assert.False(request.Environment.ContainsKey("PATH"), "the caller probing as themselves keeps their own PATH");
        Assert.Equal("/", request.WorkingDirectory);
        Assert.Equal(TimeSpan.FromSeconds(3), request.Timeout);
    }

    [Fact]
    public async Task AFailingCombinedCommandIsPinpointedByOneProbePerKind()
    {
        // Only the net namespace is refused, as a seccomp filter or a max_net_namespaces of 0 would.
        var runner = new FakeProcessRunner(r => r.Argv.Contains("--net")
            ? FakeProcessRunner.Exited(1, "unshare: unshare failed: No space left on device\n")
            : FakeProcessRunner.Exited(0));

        var results = await UsernsProber.RunAsync(Request(runner), UnshareProbeSpec.All, timeNamespaces: true, CancellationToken.None);

        Assert.Equal(s_allNames, results.Select(r => r.Name));
        Assert.Equal(1 + s_allNames.Length, runner.Requests.Count);
        var net = results.Single(r => r.Name == ProbeNames.Net);
        Assert.False(net.Succeeded);
        Assert.Equal(ProbeStage.Create, net.Stage);
        Assert.Equal(Errno.ENOSPC, net.Errno);
        Assert.Equal("unshare: unshare failed: No space left on device", net.Message);
        Assert.Equal(1, net.ExitCode);
        Assert.Equal(new[] { _unshare, "--user", "--map-root-user", "--net", "true" }, net.Command);
        Assert.All(results.Where(r => r.Name != ProbeNames.Net), r => Assert.True(r.Succeeded));
        Assert.Equal(new[] { _unshare, "--user", "true" }, results[0].Command);
        Assert.Equal(new[] { _unshare, "--user", "--map-root-user", "--pid", "--fork", "true" }, results[3].Command);
    }

    [Fact]
    public async Task WithoutTimeNamespacesTimeRunsBesideTheCombinedCommand()
    {
        var runner = new FakeProcessRunner(r => r.Argv.Contains("--time")
            ? FakeProcessRunner.Exited(1, "unshare: unshare failed: Invalid argument\n")
            : FakeProcessRunner.Exited(0));

        var results = await UsernsProber.RunAsync(Request(runner), UnshareProbeSpec.All, timeNamespaces: false, CancellationToken.None);

        // The other kinds keep the one-command proof; Time reports the kernel's own refusal.
        Assert.Equal(2, runner.Requests.Count);
        Assert.All(results.Take(8), r =>
        {
            Assert.True(r.Succeeded);
            Assert.DoesNotContain("--time", r.Command);
        });
        var time = results[8];
        Assert.Equal(ProbeNames.Time, time.Name);
        Assert.False(time.Succeeded);
        Assert.Equal(ProbeStage.Create, time.Stage);
        Assert.Equal(Errno.EINVAL, time.Errno);
        Assert.Equal(new[] { _unshare, "--user", "--map-root-user", "--time", "true" }, time.Command);
    }

    [Fact]
    public async Task CoreProbesAreProvenByOneMappedUserNamespace()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exited(0));

        var results = await UsernsProber.RunCoreAsync(Request(runner), CancellationToken.None);

        Assert.Equal(new[] { ProbeNames.CreateUserNamespace, ProbeNames.MapRootUser }, results.Select(r => r.Name));
        var request = Assert.Single(runner.Requests);
        Assert.Equal(new[] { _unshare, "--user", "--map-root-user", "true" }, request.Argv);
        Assert.All(results, r => Assert.True(r.Succeeded));
    }

    [Fact]
    public async Task CoreProbesSeparateCreatingFromMapping()
    {
        var runner = new FakeProcessRunner(r => r.Argv.Contains("--map-root-user")
            ? FakeProcessRunner.Exited(1, "unshare: write failed /proc/self/uid_map: Operation not permitted\n")
            : FakeProcessRunner.Exited(0));

        var results = await UsernsProber.RunCoreAsync(Request(runner), CancellationToken.None);

        Assert.True(results[0].Succeeded);
        Assert.Equal(new[] { _unshare, "--user", "true" }, results[0].Command);
        Assert.False(results[1].Succeeded);
        Assert.Equal(ProbeStage.Map, results[1].Stage);
        Assert.Equal(Errno.EPERM, results[1].Errno);
    }

    [Fact]
    public async Task RootSwitchesToAListedUserWithoutSetpriv()
    {
        var (request, results) = await ProbeFromRootAsync(ListedUser(), setpriv: null);

        Assert.Equal(ListedUser().User, request.RunAs);
        Assert.Equal(new[] { _unshare, "--user", "--map-root-user", "true" }, request.Argv);
        Assert.Equal("/", request.WorkingDirectory);

        // unshare finds true on the system's PATH, not in root's own folders (which the user may not even enter).
        Assert.Equal("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", request.Environment!["PATH"]);
        Assert.Equal("C", request.Environment["LC_ALL"]);
        Assert.All(results, r =>
        {
            Assert.True(r.Succeeded);
            Assert.Equal(ListedUser().User, r.User);
            Assert.Equal(request.Argv, r.Command);
        });
    }

    [Fact]
    public async Task RootProbesAUidWithoutAnEntryThroughSetprivWithNoGroups()
    {
        var (request, results) = await ProbeFromRootAsync(BareUid(), _setpriv);

        Assert.Null(request.RunAs);
        Assert.Equal(new[] { _setpriv, "--reuid=4242424", "--regid=4242424", "--clear-groups", "--", _unshare, "--user", "--map-root-user", "true" }, request.Argv);
        Assert.Equal("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", request.Environment!["PATH"]);
        Assert.All(results, r => Assert.Equal(request.Argv, r.Command));
    }

    [Fact]
    public async Task AUserWhoseDatabaseEntryDiffersIsProbedThroughSetpriv()
    {
        // Recorded with a gid the user database does not give that name: the runtime would take the database's.
        var listed = ListedUser();
        var subject = new global::UsernsTools.Facts.UsernsSubject { User = listed.User, Uid = listed.Uid, Gid = listed.Gid + 1, Source = "Explicit", HasPasswdEntry = true };

        var (request, _) = await ProbeFromRootAsync(subject, _setpriv);

        Assert.Null(request.RunAs);
        Assert.Equal(_setpriv, request.Argv[0]);
        Assert.Contains("--init-groups", request.Argv);
    }

    [Fact]
    public async Task MissingSetprivIsALaunchFailureWithoutStartingAnything()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exited(0));

        var results = await UsernsProber.RunAsync(
            Request(runner) with { Subject = BareUid(), CallerUid = 0, SetprivPath = null },
            CancellationToken.None);

        Assert.Empty(runner.Requests);
        Assert.Equal(s_allNames, results.Select(r => r.Name));
        Assert.All(results, r =>
        {
            Assert.False(r.Succeeded);
            Assert.Equal(ProbeStage.Launch, r.Stage);
            Assert.Equal(Errno.ENOENT, r.Errno);
            Assert.Contains("setpriv (util-linux) is not installed", r.Message, StringComparison.Ordinal);
            Assert.Equal("4242424", r.User);
        });
    }

    [Fact]
    public async Task AnotherUserCannotBeProbedWithoutRoot()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exited(0));

        var results = await UsernsProber.RunCoreAsync(
            Request(runner) with { Subject = Subjects.Nobody(), CallerUid = 1000 },
            CancellationToken.None);

        // Running as uid 1000 would report that user's rights under nobody's name.
        Assert.Empty(runner.Requests);
        Assert.All(results, r =>
        {
            Assert.False(r.Succeeded);
            Assert.Equal(ProbeStage.Launch, r.Stage);
            Assert.Equal(Errno.EPERM, r.Errno);
            Assert.Equal("nobody", r.User);
        });
    }

    [Theory]
    [InlineData(null)]
    [InlineData("/nonexistent/usernstools/unshare")]
    public async Task MissingUnshareIsALaunchFailureNotAnException(string? unsharePath)
    {
        var results = await UsernsProber.RunAsync(
            new ProbeRequest { Subject = Subjects.Caller(), CallerUid = 0, UnsharePath = unsharePath },
            CancellationToken.None);

        Assert.Equal(s_allNames, results.Select(r => r.Name));
        Assert.All(results, r =>
        {
            Assert.False(r.Succeeded);
            Assert.Equal(ProbeStage.Launch, r.Stage);
            Assert.Equal(Errno.ENOENT, r.Errno);
            Assert.Contains("unshare (util-linux) is not installed", r.Message, StringComparison.Ordinal);
            Assert.Null(r.ExitCode);
        });
    }

    [Fact]
    public async Task AHelperThatCannotBeExecutedIsReportedOnceAsLaunch()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.NotStarted("An error occurred trying to start process. Permission denied"));

        var results = await UsernsProber.RunAsync(Request(runner), UnshareProbeSpec.All, timeNamespaces: true, CancellationToken.None);

        // Repeating a helper that cannot even start tells nothing new, so only the combined attempt ran.
        Assert.Single(runner.Requests);
        Assert.All(results, r =>
        {
            Assert.Equal(ProbeStage.Launch, r.Stage);
            Assert.Equal(Errno.EACCES, r.Errno);
            Assert.Equal("An error occurred trying to start process. Permission denied", r.Message);
        });
    }

    [Fact]
    public async Task AFailureWithoutAMessageKeepsTheExitCode()
    {
        // Killed by SIGSYS (a seccomp filter in kill mode) prints nothing.
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exited(159));

        var results = await UsernsProber.RunCoreAsync(Request(runner), CancellationToken.None);

        Assert.All(results, r =>
        {
            Assert.False(r.Succeeded);
            Assert.Equal(159, r.ExitCode);
            Assert.Null(r.Message);
            Assert.Equal(Errno.Unknown, r.Errno);
        });
    }

    [Fact]
    public async Task AHangingHelperIsReportedAsTimeoutAndKilled()
    {
        var sleeper = _tools.Script("slow-unshare", "exec sleep 30");
        var stopwatch = Stopwatch.StartNew();

        var results = await UsernsProber.RunAsync(
            new ProbeRequest { Subject = Subjects.Caller(), UnsharePath = sleeper, Timeout = TimeSpan.FromMilliseconds(300) },
            CancellationToken.None);

        // Far below the helper's 30 s: the timeout ended it, rather than the helper finishing.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
        Assert.Equal(s_allNames, results.Select(r => r.Name));
        Assert.All(results, r =>
        {
            Assert.False(r.Succeeded);
            Assert.Equal(ProbeStage.Timeout, r.Stage);
            Assert.Null(r.ExitCode);
            Assert.Contains("did not finish within 300 ms", r.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task CancellationStopsTheProbesAndThrows()
    {
        var sleeper = _tools.Script("slow-unshare", "exec sleep 30");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => UsernsProber.RunAsync(
            new ProbeRequest { Subject = Subjects.Caller(), UnsharePath = sleeper, Timeout = TimeSpan.FromSeconds(60) },
            cancel.Token));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
    }

    /// <summary>The core probes run by root as <paramref name="subject"/>, with the one request they made.</summary>
    private async Task<(ProcessRequest Request, IReadOnlyList<UsernsProbeResult> Results)> ProbeFromRootAsync(global::UsernsTools.Facts.UsernsSubject subject, string? setpriv)
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exited(0));
        var results = await UsernsProber.RunCoreAsync(Request(runner) with { Subject = subject, CallerUid = 0, SetprivPath = setpriv }, CancellationToken.None);
        return (Assert.Single(runner.Requests), results);
    }

    /// <summary>A user the system's user database lists, as it lists it (nobody, which every Linux has).</summary>
    private static global::UsernsTools.Facts.UsernsSubject ListedUser()
    {
        var entry = global::UsernsTools.Platform.SystemUsers.FindByName("nobody") ?? throw new InvalidOperationException("no nobody in the user database");
        return new() { User = entry.Name, Uid = entry.Uid, Gid = entry.Gid, Source = "Explicit", HasPasswdEntry = true };
    }

    private static global::UsernsTools.Facts.UsernsSubject BareUid() => new() { User = "4242424", Uid = 4242424, Gid = 4242424, Source = "Explicit", HasPasswdEntry = false };

    private ProbeRequest Request(FakeProcessRunner runner) => new()
    {
        Subject = new global::UsernsTools.Facts.UsernsSubject { User = "root", Uid = 0, Gid = 0, IsCaller = true, Source = "Caller", HasPasswdEntry = true },
        CallerUid = 0,
        UnsharePath = _unshare,
        SetprivPath = _setpriv,
        Runner = runner,
    };
}
