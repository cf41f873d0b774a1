using UsernsTools.Diagnosis;
using UsernsTools.Probes;
using Xunit;

namespace UsernsTools.Tests.Diagnosis;

/// <summary>Probe failures that no fact explains are reported honestly, with the usual causes of their errno.</summary>
public class UnexplainedFailureTests
{
    [Fact]
    public void EpermWithNoRestrictingSettingPointsToSeccompOrChroot()
    {
        var status = new SnapshotBuilder().Setting("kernel.unprivileged_userns_clone", "1")
            .CreateFails(Errno.EPERM, "unshare: unshare failed: Operation not permitted").Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.UnexplainedEperm, finding.Id);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Contains("likely cause is a seccomp filter or a chroot", finding.Explanation, StringComparison.Ordinal);
        Assert.Equal(2, finding.Evidence.Count);
        Assert.Equal(Verdict.Unavailable, status.Verdict);
    }

    [Fact]
    public void EaccesPointsToASecurityModule()
    {
        var finding = Assert.Single(new SnapshotBuilder().CreateFails(Errno.EACCES, "bwrap: Creating new namespace failed: Permission denied").Diagnose().Findings);

        Assert.Equal(FindingIds.UnexplainedEacces, finding.Id);
        Assert.Contains("security module", finding.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void EnospcWithLimitAboveZeroPointsToExhaustionOrNesting()
    {
        var finding = Assert.Single(new SnapshotBuilder().Setting("user.max_user_namespaces", "63382")
            .CreateFails(Errno.ENOSPC, "unshare: unshare failed: No space left on device").Diagnose().Findings);

        Assert.Equal(FindingIds.UnexplainedEnospc, finding.Id);
        Assert.Contains("nesting depth", finding.Explanation, StringComparison.Ordinal);
        Assert.Contains("reached the limit", finding.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void EinvalListsItsCauses()
    {
        var finding = Assert.Single(new SnapshotBuilder().CreateFails(Errno.EINVAL, "unshare: unshare failed: Invalid argument").Diagnose().Findings);

        Assert.Equal(FindingIds.UnexplainedEinval, finding.Id);
        Assert.Contains("multithreaded", finding.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void MapFailureWithoutAppArmorIsUnexplainedAndLimits()
    {
        var status = new SnapshotBuilder()
            .Probe(ProbeNames.CreateUserNamespace)
            .Probe(ProbeNames.MapRootUser, ProbeStage.Map, Errno.EPERM, "unshare: write failed /proc/self/uid_map: Operation not permitted")
            .Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.UnexplainedMapFailure, finding.Id);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal(Verdict.Limited, status.Verdict);
    }

    [Fact]
    public void AnotherKindFailingUnexplainedIsAWarning()
    {
        var status = new SnapshotBuilder().Works()
            .Probe(ProbeNames.Mount, ProbeStage.Use, Errno.EPERM, "bwrap: Can't mount proc on /newroot/proc: Operation not permitted")
            .Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.UnexplainedProbeFailure, finding.Id);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(Verdict.Limited, status.Verdict);
    }

    [Fact]
    public void TimeoutIsAWarningThatKeepsTheVerdictFromAvailable()
    {
        // Settings that allow everything and a probe that never answered: nothing was shown to work, so a gate on
        // Available must not pass (it did).
        var status = new SnapshotBuilder().Probe(ProbeNames.CreateUserNamespace, ProbeStage.Timeout).Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.ProbeTimedOut, finding.Id);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.False(status.Probed);
        Assert.Equal(Verdict.Limited, status.Verdict);
    }

    [Fact]
    public void ExplainedFailuresGetNoExtraFinding()
    {
        var status = new SnapshotBuilder().Setting("kernel.unprivileged_userns_clone", "0")
            .CreateFails(Errno.EPERM, "unshare: unshare failed: Operation not permitted").Diagnose();

        Assert.Equal(new[] { FindingIds.UnprivilegedUsernsCloneDisabled }, status.Findings.Select(f => f.Id));
    }
}
