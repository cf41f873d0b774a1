using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Probes;
using Xunit;

namespace UsernsTools.Tests.Diagnosis;

/// <summary>Rules about the kernel switches and limits, each on a small hand-built snapshot.</summary>
public class SysctlRuleTests
{
    [Fact]
    public void CloneZeroDoesNotBlockRoot()
    {
        var b = new SnapshotBuilder { Subject = new UsernsSubject { User = "root", Uid = 0, IsCaller = true, Source = "Explicit" }, CallerUid = 0 };
        var finding = Assert.Single(b.Setting("kernel.unprivileged_userns_clone", "0").Diagnose().Findings);

        Assert.Equal(FindingIds.UnprivilegedUsernsCloneDisabled, finding.Id);
        Assert.Equal(Severity.Warning, finding.Severity);
    }

    [Theory]
    [InlineData("1")]
    [InlineData(null)]
    public void CloneEnabledOrAbsentIsNoFinding(string? value)
    {
        var status = new SnapshotBuilder().Setting("kernel.unprivileged_userns_clone", value).Works().Diagnose();

        Assert.Empty(status.Findings);
        Assert.Equal(Verdict.Available, status.Verdict);
    }

    [Fact]
    public void CloneFixSaysWhichFileReallyWinsAtBoot()
    {
        var finding = Assert.Single(new SnapshotBuilder()
            .Setting("kernel.unprivileged_userns_clone", "0", "0", "/etc/sysctl.d/99-hardening.conf:4")
            .Diagnose().Findings, f => f.Id == FindingIds.UnprivilegedUsernsCloneDisabled);

        // 99-hardening.conf sorts before 99-zz-usernstools.conf: the drop-in wins, and the change survives a reboot.
        Assert.Contains("/etc/sysctl.d/99-hardening.conf:4 also sets kernel.unprivileged_userns_clone = 0, but 99-zz-usernstools.conf sorts after it and wins at boot", finding.Remediation, StringComparison.Ordinal);
        Assert.DoesNotContain("undo", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void UsernsRestrictOneBlocksWithFixToZero()
    {
        var status = new SnapshotBuilder { Kernel = new KernelFacts { Release = "6.1.130-un-def-alt1", OsId = "altlinux" } }
            .Setting("kernel.userns_restrict", "1")
            .CreateFails(Errno.EPERM, "unshare: unshare failed: Operation not permitted")
            .Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.UsernsRestrictEnabled, finding.Id);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("0", finding.RecommendedValue);
        Assert.Equal("Set-UsernsSetting -Name kernel.userns_restrict -Value 0 -Scope Runtime,Persistent", finding.FixCmdlet);
        Assert.Equal(Verdict.Unavailable, status.Verdict);
    }

    [Theory]
    [InlineData("500", true)]
    [InlineData("999", true)]
    [InlineData("1000", false)]
    [InlineData("63382", false)]
    public void LowUserLimitIsAWarningThatLimits(string value, bool low)
    {
        var status = new SnapshotBuilder().Setting("user.max_user_namespaces", value).Works().Diagnose();

        if (low)
        {
            var finding = Assert.Single(status.Findings);
            Assert.Equal(FindingIds.MaxUserNamespacesLow, finding.Id);
            Assert.Equal(Severity.Warning, finding.Severity);
            Assert.Equal(value, finding.CurrentValue);
            Assert.Equal("28633", finding.RecommendedValue);
            Assert.Equal(Verdict.Limited, status.Verdict);
        }
        else
        {
            Assert.Empty(status.Findings);
            Assert.Equal(Verdict.Available, status.Verdict);
        }
    }

    [Fact]
    public void MountLimitZeroBlocksSandboxesAndRecommendsTheUserLimit()
    {
        var status = new SnapshotBuilder()
            .Setting("user.max_user_namespaces", "63382")
            .Setting("user.max_mnt_namespaces", "0")
            .Works()
            .Probe(ProbeNames.Mount, ProbeStage.Create, Errno.ENOSPC, "unshare: unshare failed: No space left on device")
            .Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.MaxMntNamespacesZero, finding.Id);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("user.max_mnt_namespaces", finding.Setting);
        Assert.Equal("63382", finding.RecommendedValue);
        Assert.Equal("Set-UsernsSetting -Name user.max_mnt_namespaces -Value 63382 -Scope Runtime,Persistent", finding.FixCmdlet);
        Assert.Contains(finding.Evidence, e => e.Contains("probe Mount failed", StringComparison.Ordinal));
        Assert.Equal(Verdict.Limited, status.Verdict);
    }

    [Fact]
    public void NetLimitZeroIsAWarningThatStillLimits()
    {
        var status = new SnapshotBuilder().Setting("user.max_net_namespaces", "0").Works().Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.MaxNetNamespacesZero, finding.Id);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(Verdict.Limited, status.Verdict);
    }

    [Theory]
    [InlineData("N", true)]
    [InlineData("Y", false)]
    public void Rhel7SwitchOffIsBlocking(string value, bool blocking)
    {
        var status = new SnapshotBuilder { Kernel = new KernelFacts { Release = "3.10.0-514.el7.x86_64", OsId = "centos", OsVersionId = "7" } }
            .Setting("user_namespace.enable", value)
            .Diagnose();

        Assert.Equal(blocking, status.Findings.Any(f => f.Id == FindingIds.UserNamespaceModuleDisabled && f.Severity == Severity.Blocking));
        Assert.Equal(blocking ? Verdict.Unavailable : Verdict.Available, status.Verdict);
    }

    [Fact]
    public void MissingUidMapMeansAKernelWithoutUserNamespaces()
    {
        var b = new SnapshotBuilder();
        b.Process = new ProcessFacts { UidMap = null };
        var status = b.CreateFails(Errno.EINVAL, "unshare: unshare failed: Invalid argument").Diagnose();

        Assert.Equal(new[] { FindingIds.KernelWithoutUserNamespaces }, status.Findings.Select(f => f.Id));
        Assert.Equal(Verdict.Unavailable, status.Verdict);
    }

    [Fact]
    public void PersistedValueThatDiffersWarnsAndNamesTheFile()
    {
        var finding = Assert.Single(new SnapshotBuilder()
            .Setting("user.max_user_namespaces", "63382", "0", "/etc/sysctl.d/60-userns.conf:2")
            .Works()
            .Diagnose().Findings, f => f.Id == FindingIds.PersistedValueDiffers);

        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("user.max_user_namespaces", finding.Setting);
        Assert.Equal("63382", finding.CurrentValue);
        Assert.Contains("next boot", finding.Explanation, StringComparison.Ordinal);
        Assert.Contains("/etc/sysctl.d/60-userns.conf:2", finding.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void EqualPersistedValueIsNoFinding()
    {
        var status = new SnapshotBuilder().Setting("kernel.unprivileged_userns_clone", "1", " 1 ", "/etc/sysctl.d/90-userns.conf:1").Works().Diagnose();

        Assert.Empty(status.Findings);
    }

    [Fact]
    public void ShadowedAssignmentNamesTheFileThatWins()
    {
        var loser = new SysctlAssignment { Key = "kernel.unprivileged_userns_clone", Value = "0", File = "/etc/sysctl.d/10-old.conf", Line = 3 };
        var finding = Assert.Single(new SnapshotBuilder()
            .Setting("kernel.unprivileged_userns_clone", "1", "1", "/etc/sysctl.d/99-userns.conf:1", loser)
            .Works()
            .Diagnose().Findings);

        Assert.Equal(FindingIds.SettingShadowed, finding.Id);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains("at boot /etc/sysctl.d/99-userns.conf:1 wins", finding.Explanation, StringComparison.Ordinal);
        Assert.Contains(finding.Evidence, e => e.StartsWith("/etc/sysctl.d/10-old.conf:3", StringComparison.Ordinal) && e.EndsWith("(ignored)", StringComparison.Ordinal));
    }

    [Fact]
    public void AZeroPersistedInAFileIsReportedAsDeliberate()
    {
        var finding = Assert.Single(new SnapshotBuilder()
            .Setting("kernel.unprivileged_userns_clone", "0", "0", "/etc/sysctl.d/50-hardening.conf:7")
            .Diagnose().Findings, f => f.Id == FindingIds.UsernsDisabledByHardening);

        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal("kernel.unprivileged_userns_clone", finding.Setting);
        Assert.Null(finding.FixCommand);
    }
}
