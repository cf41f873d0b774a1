using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Probes;
using Xunit;

namespace UsernsTools.Tests.Diagnosis;

/// <summary>Containers, seccomp, no_new_privs, nesting, chroot, WSL and gVisor.</summary>
public class EnvironmentRuleTests
{
    private const string Eperm = "unshare: unshare failed: Operation not permitted";

    private static SnapshotBuilder InContainer(ContainerKind kind, string marker) => new()
    {
        Process = new ProcessFacts { Seccomp = 2, SeccompFilters = 1, UidMap = "0 0 4294967295", InInitialUserNamespace = true },
        Environment = new EnvironmentFacts { Container = kind, ContainerEvidence = new[] { marker }, InChroot = false },
    };

    [Fact]
    public void SeccompWithoutProbesIsAWarningNotAVerdict()
    {
        var status = InContainer(ContainerKind.Docker, "/.dockerenv").Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.SeccompFilterActive, finding.Id);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(Verdict.Available, status.Verdict);
    }

    [Fact]
    public void SeccompThatAllowsUserNamespacesIsNoFinding()
    {
        Assert.Empty(InContainer(ContainerKind.Podman, "/run/.containerenv").Works().Diagnose().Findings);
    }

    [Fact]
    public void Clone3EnosysIsBlamedOnSeccomp()
    {
        var status = InContainer(ContainerKind.Docker, "/.dockerenv").CreateFails(Errno.ENOSYS, "bwrap: clone3: Function not implemented").Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.SeccompBlocksUserns, finding.Id);
        Assert.Contains("ENOSYS", finding.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void SeccompIsOnlyASecondCauseWhenTheSysctlAlsoSaysNo()
    {
        var status = InContainer(ContainerKind.Docker, "/.dockerenv")
            .Setting("kernel.unprivileged_userns_clone", "0")
            .CreateFails(Errno.EPERM, Eperm)
            .Diagnose();

        Assert.Equal(Severity.Blocking, status.Findings.Single(f => f.Id == FindingIds.UnprivilegedUsernsCloneDisabled).Severity);
        Assert.Equal(Severity.Warning, status.Findings.Single(f => f.Id == FindingIds.SeccompBlocksUserns).Severity);
    }

    [Fact]
    public void KubernetesRemediationUsesAPodSeccompProfile()
    {
        var finding = Assert.Single(InContainer(ContainerKind.Kubernetes, "KUBERNETES_SERVICE_HOST").CreateFails(Errno.EPERM, Eperm).Diagnose().Findings);

        Assert.Contains("seccompProfile", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void NoNewPrivsWarnsAboutSetuidHelpers()
    {
        var b = new SnapshotBuilder { Process = new ProcessFacts { NoNewPrivs = true, UidMap = "0 0 4294967295", InInitialUserNamespace = true } };
        var finding = Assert.Single(b.Works().Diagnose().Findings);

        Assert.Equal(FindingIds.NoNewPrivsSet, finding.Id);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("newuidmap", finding.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ChrootExplainsEperm()
    {
        var b = new SnapshotBuilder { Environment = new EnvironmentFacts { InChroot = true } };
        var status = b.CreateFails(Errno.EPERM, Eperm).Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.ChrootBlocksUserns, finding.Id);
        Assert.Equal(Severity.Blocking, finding.Severity);
    }

    [Fact]
    public void ChrootWhereCreationWorksIsNoFinding()
    {
        var b = new SnapshotBuilder { Environment = new EnvironmentFacts { InChroot = true } };

        Assert.Empty(b.Works().Diagnose().Findings);
    }

    [Fact]
    public void RecordedDepth32BlocksWithoutProbes()
    {
        var b = new SnapshotBuilder { Process = new ProcessFacts { UidMap = "0 0 1", InInitialUserNamespace = false, UserNamespaceDepth = 32 } };
        var status = b.Diagnose();

        Assert.Equal(new[] { FindingIds.NestingLimitReached, FindingIds.InsideUserNamespace }, status.Findings.Select(f => f.Id));
        Assert.Equal(Verdict.Unavailable, status.Verdict);
    }

    [Fact]
    public void NestingIsInferredFromTheUidMapWhenNotRecorded()
    {
        var b = new SnapshotBuilder { Process = new ProcessFacts { UidMap = "         0       1000          1\n" } };
        var status = b.Works().Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.InsideUserNamespace, finding.Id);
        Assert.Contains(finding.Evidence, e => e == "/proc/self/uid_map: 0 1000 1");
        Assert.Equal(Verdict.Available, status.Verdict);
    }

    [Fact]
    public void EnospcWithZeroLimitIsTheLimitNotNesting()
    {
        var b = new SnapshotBuilder { Process = new ProcessFacts { UidMap = "0 1000 1", InInitialUserNamespace = false } };
        var status = b.Setting("user.max_user_namespaces", "0").CreateFails(Errno.ENOSPC, "unshare: unshare failed: No space left on device").Diagnose();

        Assert.Equal(new[] { FindingIds.MaxUserNamespacesZero, FindingIds.InsideUserNamespace }, status.Findings.Select(f => f.Id));
    }

    [Fact]
    public void Wsl2IsNoFinding()
    {
        var b = new SnapshotBuilder { Environment = new EnvironmentFacts { Wsl = WslKind.Wsl2 } };

        Assert.Empty(b.Works().Diagnose().Findings);
    }

    [Fact]
    public void GvisorExplainsTheLoopbackError()
    {
        var b = new SnapshotBuilder { Environment = new EnvironmentFacts { Gvisor = true } };
        var status = b.Works().Probe(ProbeNames.Net, ProbeStage.Use, Errno.EPERM, "bwrap: loopback: Failed RTM_NEWADDR: Operation not permitted").Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.GvisorLoopback, finding.Id);
        Assert.Equal(Severity.Info, finding.Severity);
    }
}
