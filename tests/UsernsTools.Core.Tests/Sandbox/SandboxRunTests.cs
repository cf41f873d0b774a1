using UsernsTools.Sandbox;
using Xunit;

namespace UsernsTools.Tests.Sandbox;

/// <summary>The shape a cmdlet uses: feed input and drain output while the program runs.</summary>
public class SandboxRunTests
{
    public static TheoryData<long, BackendKind> UsersAndBackends => SandboxTestHost.UsersAndBackends();

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task OutputArrivesWhileInputIsStillBeingWritten(long uid, BackendKind backend)
    {
        var spec = SandboxTestHost.Spec(backend, "cat");
        spec.Mapping = IdentityMapping.RootUser;
        spec.Timeout = TimeSpan.FromSeconds(30);
        await using var run = await SandboxTestHost.RunnerFor(uid).StartAsync(spec, writableInput: true, CancellationToken.None);
        foreach (var line in new[] { "one", "two $(x)", "three" })
        {
            run.WriteInput(line);

            // The line comes back before the input is complete: output streams, it is not collected at the end.
            Assert.True(await run.Events.WaitToReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.True(run.Events.TryRead(out var echoed));
            Assert.Equal(SandboxEventKind.Output, echoed.Kind);
            Assert.Equal(line, echoed.Line);
        }

        run.CompleteInput();
        await foreach (var item in run.Events.ReadAllAsync())
        {
            Assert.Fail("unexpected " + item);
        }

        var result = await run.Completion;
        Assert.Equal(0, result.ExitCode);
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task StopEndsTheSandboxAndCancelsCompletion(long uid, BackendKind backend)
    {
        var sleep = SandboxTestHost.UniqueSleep();
        var spec = SandboxTestHost.Spec(backend, "sh", "-c", $"sleep {sleep} & cat");
        spec.Mapping = IdentityMapping.RootUser;
        var run = await SandboxTestHost.RunnerFor(uid).StartAsync(spec, writableInput: true, CancellationToken.None);
        Assert.True(await SandboxTestHost.EventuallyAsync(() => SandboxTestHost.ProcessesWith(sleep).Count > 0, TimeSpan.FromSeconds(5)));
        run.Stop();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.Completion);
        await run.DisposeAsync();
        var left = SandboxTestHost.ProcessesWith(sleep);
        SandboxTestHost.KillAll(left);
        Assert.Empty(left);
    }
}
