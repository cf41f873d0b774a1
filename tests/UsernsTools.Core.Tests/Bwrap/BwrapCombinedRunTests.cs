using UsernsTools.Facts;
using UsernsTools.Platform;
using UsernsTools.Probes.Bwrap;
using Xunit;

namespace UsernsTools.Tests.Bwrap;

/// <summary>One combined bwrap run proves every mode when it works; the modes run one by one only when it fails.</summary>
public class BwrapCombinedRunTests
{
    private static UsernsSubject Caller => new() { User = "caller", Uid = CurrentProcess.EffectiveUid, Gid = 0, IsCaller = true, HasPasswdEntry = true, Source = "Caller" };

    [KernelFact("bwrap")]
    public async Task AWorkingBwrapIsProvenByOneRun()
    {
        var runner = new CountingRunner(ProcessRunner.Instance);
        var results = await BwrapProber.RunAsync(
            new BwrapProbeRequest { Subject = Caller, CallerUid = CurrentProcess.EffectiveUid, SearchPath = Environment.GetEnvironmentVariable("PATH"), Runner = runner },
            CancellationToken.None);

        Assert.Equal(Enum.GetValues<BwrapMode>(), results.Select(r => r.Mode));
        Assert.All(results, r => Assert.True(r.Succeeded && r.UidMapped, r.Mode + ": " + r.Explanation));
        var bwrapRuns = runner.Argvs.Where(a => a.Contains("--ro-bind")).ToList();
        var combined = Assert.Single(bwrapRuns);
        Assert.Contains("--unshare-net", combined);
        Assert.Contains("--unshare-pid", combined);
        Assert.Contains("--unshare-ipc", combined);
        Assert.Contains("--proc", combined);
        Assert.Contains("--dev", combined);
        Assert.All(results, r => Assert.Equal(combined, r.Command));
    }

    [KernelFact("bwrap")]
    public async Task AFailedCombinedRunFallsBackToEachMode()
    {
        // The combined run (the only one with both --unshare-net and --proc) fails; every single mode works.
        var runner = new CountingRunner(ProcessRunner.Instance, failWhen: a => a.Contains("--unshare-net") && a.Contains("--proc"));
        var results = await BwrapProber.RunAsync(
            new BwrapProbeRequest { Subject = Caller, CallerUid = CurrentProcess.EffectiveUid, SearchPath = Environment.GetEnvironmentVariable("PATH"), Runner = runner },
            CancellationToken.None);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Mode + ": " + r.StandardError));
        Assert.Equal(1 + Enum.GetValues<BwrapMode>().Length, runner.Argvs.Count(a => a.Contains("--ro-bind")));
        Assert.DoesNotContain(results, r => r.Command.Contains("--unshare-net") && r.Command.Contains("--proc"));
    }

    private sealed class CountingRunner(IProcessRunner inner, Func<IReadOnlyList<string>, bool>? failWhen = null) : IProcessRunner
    {
        private readonly List<IReadOnlyList<string>> _argvs = new();

        public IReadOnlyList<IReadOnlyList<string>> Argvs
        {
            get
            {
                lock (_argvs)
                {
                    return _argvs.ToList();
                }
            }
        }

        public Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
        {
            lock (_argvs)
            {
                _argvs.Add(request.Argv);
            }

            if (failWhen?.Invoke(request.Argv) == true)
            {
                return Task.FromResult(new ProcessResult(true, 1, "", "bwrap: loopback: Failed RTM_NEWADDR: Operation not permitted\n", false, false, TimeSpan.FromMilliseconds(1), null));
            }

            return inner.RunAsync(request, cancellationToken);
        }
    }
}
