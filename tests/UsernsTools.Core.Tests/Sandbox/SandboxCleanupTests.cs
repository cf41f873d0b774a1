using UsernsTools.Sandbox;
using Xunit;

namespace UsernsTools.Tests.Sandbox;

/// <summary>Timeouts, cancellation and early exits leave nothing of the sandbox running.</summary>
public class SandboxCleanupTests
{
    public static TheoryData<long, BackendKind, bool> UsersBackendsPid()
    {
        var data = new TheoryData<long, BackendKind, bool>();
        foreach (var row in SandboxTestHost.UsersAndBackends())
        {
            data.Add((long)row[0], (BackendKind)row[1], true);
            data.Add((long)row[0], (BackendKind)row[1], false);
        }

        return data;
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersBackendsPid))]
    public async Task TimeoutEndsBothSleeps(long uid, BackendKind backend, bool pidNamespace)
    {
        var sleep = SandboxTestHost.UniqueSleep();
        var spec = TwoSleeps(backend, sleep, pidNamespace);
        spec.Timeout = TimeSpan.FromSeconds(1);
        var sawBoth = SandboxTestHost.EventuallyAsync(() => SandboxTestHost.ProcessesWith(sleep).Count >= 2, TimeSpan.FromSeconds(5));
        var (result, _, error) = await SandboxTestHost.RunAsync(uid, spec);
        var left = SandboxTestHost.ProcessesWith(sleep);
        SandboxTestHost.KillAll(left);
        Assert.True(await sawBoth, "the sleeps never ran: " + string.Join("\n", error));
        Assert.True(result.TimedOut);
        Assert.Equal(9, result.Signal);
        Assert.Empty(left);
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersBackendsPid))]
    public async Task CancellationEndsBothSleeps(long uid, BackendKind backend, bool pidNamespace)
    {
        var sleep = SandboxTestHost.UniqueSleep();
        var spec = TwoSleeps(backend, sleep, pidNamespace);
        using var cancel = new CancellationTokenSource();
        var sawBoth = SandboxTestHost.EventuallyAsync(() => SandboxTestHost.ProcessesWith(sleep).Count >= 2, TimeSpan.FromSeconds(5));
        var run = SandboxTestHost.RunAsync(uid, spec, cancellationToken: cancel.Token);
        var ran = await sawBoth;
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var left = SandboxTestHost.ProcessesWith(sleep);
        SandboxTestHost.KillAll(left);
        Assert.True(ran, "the sleeps never ran");
        Assert.Empty(left);
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task ChildThatOutlivesTheProgramIsKilledAtTimeout(long uid, BackendKind backend)
    {
        // Without a pid namespace the background sleep is reparented away from the tree when sh exits,
        // but it still holds stdout: the run waits for it, like a shell would, and the timeout finds it by the pipe.
        var sleep = SandboxTestHost.UniqueSleep();
        var spec = SandboxTestHost.Spec(backend, "sh", "-c", $"sleep {sleep} & echo started");
        spec.Mapping = IdentityMapping.RootUser;
        spec.SharePidNamespace = true;
        spec.Timeout = TimeSpan.FromSeconds(1);
        var (result, output, _) = await SandboxTestHost.RunAsync(uid, spec);
        var left = SandboxTestHost.ProcessesWith(sleep);
        SandboxTestHost.KillAll(left);
        Assert.Equal(new[] { "started" }, output);
        Assert.True(result.TimedOut);
        Assert.Empty(left);
    }

    public static TheoryData<long, BackendKind> UsersAndBackends => SandboxTestHost.UsersAndBackends();

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task StoppingTheStreamEarlyEndsTheSandbox(long uid, BackendKind backend)
    {
        var sleep = SandboxTestHost.UniqueSleep();
        var spec = SandboxTestHost.Spec(backend, "sh", "-c", $"sleep {sleep} & while :; do echo y; done");
        spec.Mapping = IdentityMapping.RootUser;
        var lines = 0;
        await foreach (var item in SandboxTestHost.RunnerFor(uid).StreamAsync(spec, null))
        {
            Assert.Equal(SandboxStreamItemKind.Output, item.Kind);
            if (++lines == 100)
            {
                break;
            }
        }

        var left = SandboxTestHost.ProcessesWith(sleep);
        SandboxTestHost.KillAll(left);
        Assert.Empty(left);
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task StreamYieldsLinesThenTheResult(long uid, BackendKind backend)
    {
        var spec = SandboxTestHost.Spec(backend, "sh", "-c", "echo one; echo two; echo err >&2; read x; echo \"got $x\"; exit 3");
        spec.Mapping = IdentityMapping.RootUser;
        var events = new List<SandboxStreamItem>();
        await foreach (var item in SandboxTestHost.RunnerFor(uid).StreamAsync(spec, new[] { "input" }))
        {
            events.Add(item);
        }

        Assert.Equal(new[] { "one", "two", "got input" }, events.Where(e => e.Kind == SandboxStreamItemKind.Output).Select(e => e.Line));
        Assert.Equal(new[] { "err" }, events.Where(e => e.Kind == SandboxStreamItemKind.Error).Select(e => e.Line));
        Assert.Equal(SandboxStreamItemKind.Exited, events[^1].Kind);
        Assert.Equal(3, events[^1].Result!.ExitCode);
    }

    public static TheoryData<BackendKind, bool> BackendsAndDieWithCaller()
    {
        var data = new TheoryData<BackendKind, bool>();
        foreach (var backend in new[] { BackendKind.Unshare, BackendKind.Bwrap })
        {
            data.Add(backend, true);
            data.Add(backend, false);
        }

        return data;
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(BackendsAndDieWithCaller))]
    public async Task SandboxDiesWithItsCallerOnlyWhenAsked(BackendKind backend, bool dieWithCaller)
    {
        // The caller here is a shell that starts the argv and exits; with DieWithCaller the sandbox must go with it.
        var sleep = SandboxTestHost.UniqueSleep();
        var spec = SandboxTestHost.Spec(backend, "sh", "-c", $"sleep {sleep}");
        spec.Mapping = IdentityMapping.RootUser;
        spec.Namespaces = NamespaceKind.Pid;
        spec.DieWithCaller = dieWithCaller;
        var argv = BackendSelector.BuildArgv(spec, SandboxTestHost.CallerTools).Argv;
        var caller = SandboxTestHost.Spec(BackendKind.Unshare, "sh", new[] { "-c", "\"$@\" >/dev/null 2>&1 & sleep 0.5", "sh" }.Concat(argv).ToArray());
        caller.DieWithCaller = false;
        var (result, _, _) = await SandboxTestHost.RunAsync(SandboxTestHost.CallerTools.Uid, caller);
        Assert.Equal(0, result.ExitCode);
        var gone = await SandboxTestHost.EventuallyAsync(() => SandboxTestHost.ProcessesWith(sleep).Count == 0, TimeSpan.FromSeconds(3));
        var left = SandboxTestHost.ProcessesWith(sleep);
        SandboxTestHost.KillAll(left);
        Assert.Equal(dieWithCaller, gone);
    }

    [KernelTheory("unshare", "bwrap", "setpriv", "flock")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task BackgroundChildrenDieWithTheCallerWithoutAskingForAPidNamespace(long uid, BackendKind backend)
    {
        // The caller is a shell that starts the argv and exits, as a SIGKILLed caller would: nothing of ours runs after.
        var sleep = SandboxTestHost.UniqueSleep();
        var spec = SandboxTestHost.Spec(backend, "sh", "-c", $"sleep {sleep} & setsid sleep {sleep} & wait");
        var argv = BackendSelector.BuildArgv(spec, SandboxTestHost.ToolsFor(uid)).Argv;
        var caller = SandboxTestHost.Spec(BackendKind.Unshare, "sh", new[] { "-c", "\"$@\" >/dev/null 2>&1 & sleep 1", "sh" }.Concat(argv).ToArray());
        caller.DieWithCaller = false;
        var (result, _, _) = await SandboxTestHost.RunAsync(SandboxTestHost.CallerTools.Uid, caller);
        Assert.Equal(0, result.ExitCode);
        var gone = await SandboxTestHost.EventuallyAsync(() => SandboxTestHost.ProcessesWith(sleep).Count == 0, TimeSpan.FromSeconds(3));
        var left = SandboxTestHost.ProcessesWith(sleep);
        SandboxTestHost.KillAll(left);
        Assert.True(gone, $"{left.Count} background processes outlived the caller");
    }

    private static NamespaceSpec TwoSleeps(BackendKind backend, string sleep, bool pidNamespace)
    {
        var spec = SandboxTestHost.Spec(backend, "sh", "-c", $"sleep {sleep} & sleep {sleep}");
        spec.Mapping = IdentityMapping.RootUser;
        spec.Namespaces = pidNamespace ? NamespaceKind.Pid : NamespaceKind.None;
        return spec;
    }
}
