using UsernsTools.Platform;
using UsernsTools.Probes;
using Xunit;

namespace UsernsTools.Tests.Probes;

/// <summary>
/// The probes against the real kernel of the test machine. Restrictions are reproduced inside nested user
/// namespaces (KNOWLEDGE.md section 8); nothing here changes the host.
/// </summary>
public class UsernsProberKernelTests
{
    [KernelFact("unshare", "setpriv", RequiresRoot = true, RequiresUnprivilegedUserns = true)]
    public async Task RootDiagnosesNobody()
    {
        var unshare = KernelPrerequisites.Tool("unshare");
        var request = new ProbeRequest
        {
            Subject = Subjects.Nobody(),
            CallerUid = CurrentProcess.EffectiveUid,
            UnsharePath = unshare,
            SetprivPath = KernelPrerequisites.Tool("setpriv"),
        };

        var results = await UsernsProber.RunAsync(request, CancellationToken.None);

        foreach (var name in new[] { ProbeNames.CreateUserNamespace, ProbeNames.MapRootUser })
        {
            var result = results.Single(r => r.Name == name);
            Assert.True(result.Succeeded, $"{name}: {result.Stage} {result.Errno} {result.Message}");
            Assert.Equal("nobody", result.User);
            Assert.Equal(unshare, result.Command[0]);
            Assert.Equal(0, result.ExitCode);
        }
    }

    [KernelFact("unshare", RequiresRoot = true)]
    public async Task TheCallerWithoutSetprivCreatesEveryKind()
    {
        var unshare = KernelPrerequisites.Tool("unshare");
        var request = new ProbeRequest
        {
            Subject = Subjects.Caller(),
            CallerUid = CurrentProcess.EffectiveUid,
            UnsharePath = unshare,
            SetprivPath = null,
        };

        var results = await UsernsProber.RunAsync(request, CancellationToken.None);

        Assert.Equal(9, results.Count);
        Assert.All(results, r =>
        {
            Assert.True(r.Succeeded, $"{r.Name}: {r.Stage} {r.Errno} {r.Message}");
            Assert.Equal(unshare, r.Command[0]);
            Assert.True(r.DurationMs > 0);
        });

        // Each kind was proven by a command that really created it.
        Assert.Contains("--mount", results.Single(r => r.Name == ProbeNames.Mount).Command);
        Assert.Contains("--fork", results.Single(r => r.Name == ProbeNames.Pid).Command);
        Assert.Contains("--cgroup", results.Single(r => r.Name == ProbeNames.Cgroup).Command);
        Assert.Contains("--time", results.Single(r => r.Name == ProbeNames.Time).Command);
    }

    [KernelFact("unshare", RequiresRoot = true)]
    public async Task WithNoUserNamespacesAllowedCreationFailsWithEnospc()
    {
        var unshare = KernelPrerequisites.Tool("unshare");
        var request = new ProbeRequest
        {
            Subject = Subjects.Caller(),
            CallerUid = CurrentProcess.EffectiveUid,
            UnsharePath = unshare,
            Runner = PrefixRunner.WithoutUserNamespaces(unshare),
        };

        var results = await UsernsProber.RunAsync(request, CancellationToken.None);

        var create = results.Single(r => r.Name == ProbeNames.CreateUserNamespace);
        Assert.False(create.Succeeded);
        Assert.Equal(ProbeStage.Create, create.Stage);
        Assert.Equal(Errno.ENOSPC, create.Errno);
        Assert.Equal("unshare: unshare failed: No space left on device", create.Message);
        Assert.Equal(1, create.ExitCode);
        Assert.Equal(new[] { unshare, "--user", "true" }, create.Command);

        // Every other probe needs a user namespace too, and says so with its own command.
        Assert.All(results, r =>
        {
            Assert.False(r.Succeeded);
            Assert.Equal(Errno.ENOSPC, r.Errno);
        });
    }

    [KernelFact("unshare", RequiresRoot = true)]
    public async Task WhenNoMapCanBeWrittenCreationSucceedsAndMappingFails()
    {
        var unshare = KernelPrerequisites.Tool("unshare");
        var request = new ProbeRequest
        {
            Subject = Subjects.Caller(),
            CallerUid = CurrentProcess.EffectiveUid,
            UnsharePath = unshare,
            Runner = PrefixRunner.WithoutProc(unshare),
        };

        var results = await UsernsProber.RunCoreAsync(request, CancellationToken.None);

        Assert.True(results[0].Succeeded, $"{results[0].Stage} {results[0].Message}");
        Assert.Equal(new[] { unshare, "--user", "true" }, results[0].Command);
        var map = results[1];
        Assert.Equal(ProbeNames.MapRootUser, map.Name);
        Assert.False(map.Succeeded);
        Assert.Equal(ProbeStage.Map, map.Stage);
        Assert.Equal(Errno.ENOENT, map.Errno);
        Assert.Equal("unshare: cannot open /proc/self/uid_map: No such file or directory", map.Message);
    }
}
