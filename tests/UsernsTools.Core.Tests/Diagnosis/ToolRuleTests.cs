using UsernsTools.Diagnosis;
using UsernsTools.Diagnosis.Rules;
using UsernsTools.Facts;
using UsernsTools.Probes;
using Xunit;

namespace UsernsTools.Tests.Diagnosis;

/// <summary>unshare, setpriv, bwrap and newuidmap as found on the machine.</summary>
public class ToolRuleTests
{
    [Theory]
    [InlineData("debian", "apt-get install util-linux")]
    [InlineData("fedora", "dnf install util-linux")]
    [InlineData("arch", "pacman -S util-linux")]
    public void MissingUnshareIsAFindingWithTheDistributionsInstallCommand(string osId, string install)
    {
        var b = new SnapshotBuilder { Kernel = new KernelFacts { Release = "6.1.0", OsId = osId } };
        var status = b.Tool("unshare", null)
            .Probe(ProbeNames.CreateUserNamespace, ProbeStage.Launch, Errno.ENOENT, "No such file or directory")
            .Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.UnshareMissing, finding.Id);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains(install, finding.Remediation, StringComparison.Ordinal);
        Assert.Equal(Verdict.Available, status.Verdict);
    }

    [Fact]
    public void MissingSetprivMattersWhenRootDiagnosesSomeoneElse()
    {
        var b = new SnapshotBuilder { CallerUid = 0, Subject = new UsernsSubject { User = "alice", Uid = 1000, Gid = 1000, IsCaller = false, Source = "Explicit" } };
        var finding = Assert.Single(b.Tool("setpriv", null).Diagnose().Findings);

        Assert.Equal(FindingIds.SetprivMissing, finding.Id);
        Assert.Equal(Severity.Warning, finding.Severity);
    }

    [Fact]
    public void MissingSetprivIsInfoWhenRootDiagnosesAListedUser()
    {
        // A user the user database lists is switched to by the starting thread; only a bare uid needs setpriv.
        var b = new SnapshotBuilder { CallerUid = 0, Subject = new UsernsSubject { User = "alice", Uid = 1000, Gid = 1000, IsCaller = false, Source = "Explicit", HasPasswdEntry = true } };
        var finding = Assert.Single(b.Tool("setpriv", null).Works().Diagnose().Findings);

        Assert.Equal(FindingIds.SetprivMissing, finding.Id);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains("no user entry", finding.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingSetprivIsInfoForTheCallersOwnDiagnosis()
    {
        var finding = Assert.Single(new SnapshotBuilder().Tool("setpriv", null).Works().Diagnose().Findings);

        Assert.Equal(Severity.Info, finding.Severity);
    }

    [Fact]
    public void ToolsMissingFromTheListAreNotReportedMissing()
    {
        Assert.Empty(new SnapshotBuilder().Works().Diagnose().Findings);
    }

    [Theory]
    [InlineData("2.24.1", Severity.Warning)]
    [InlineData("2.35.2", Severity.Info)]
    [InlineData("unshare from util-linux 2.33.1", Severity.Info)]
    public void OldUnshareIsReported(string version, Severity severity)
    {
        var finding = Assert.Single(new SnapshotBuilder().Tool("unshare", "/usr/bin/unshare", version).Works().Diagnose().Findings);

        Assert.Equal(FindingIds.UnshareTooOld, finding.Id);
        Assert.Equal(severity, finding.Severity);
        Assert.Equal("2.36", finding.RecommendedValue);
    }

    [Theory]
    [InlineData("2.36")]
    [InlineData("2.38.1")]
    [InlineData("2.41")]
    [InlineData(null)]
    public void CurrentOrUnknownUnshareIsNoFinding(string? version)
    {
        Assert.Empty(new SnapshotBuilder().Tool("unshare", "/usr/bin/unshare", version).Works().Diagnose().Findings);
    }

    [Fact]
    public void SetuidBwrapIsWarnedAgainst()
    {
        var finding = Assert.Single(new SnapshotBuilder().Tool("bwrap", "/usr/bin/bwrap", "0.8.0", setuid: true).Works().Diagnose().Findings);

        Assert.Equal(FindingIds.SetuidBwrap, finding.Id);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("chmod u-s /usr/bin/bwrap", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("0.11.2", finding.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingNewuidmapIsInfoWithThePackageName()
    {
        var finding = Assert.Single(new SnapshotBuilder().Tool("newuidmap", null).Tool("newgidmap", null).Works().Diagnose().Findings);

        Assert.Equal(FindingIds.NewuidmapMissing, finding.Id);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains("apt-get install uidmap", finding.Remediation, StringComparison.Ordinal);
        Assert.Equal(2, finding.Evidence.Count);
    }

    [Theory]
    [InlineData(true, null, false)]
    [InlineData(false, "cap_setuid=ep", false)]
    [InlineData(false, "cap_setuid+ep", false)]
    [InlineData(false, null, true)]
    [InlineData(false, "cap_net_raw=ep", true)]
    public void NewuidmapNeedsSetuidOrFileCapabilities(bool setuid, string? caps, bool reported)
    {
        var status = new SnapshotBuilder().Tool("newuidmap", "/usr/bin/newuidmap", setuid: setuid, caps: caps).Works().Diagnose();

        Assert.Equal(reported, status.Findings.Any(f => f.Id == FindingIds.NewuidmapNotPrivileged && f.Severity == Severity.Warning));
    }

    [Theory]
    [InlineData("2.38.1", 2, 38, 1)]
    [InlineData("unshare from util-linux 2.39.3", 2, 39, 3)]
    [InlineData("2.34", 2, 34, -1)]
    [InlineData("bubblewrap 0.8.0", 0, 8, 0)]
    public void ToolVersionsAreReadFromTheirOutput(string text, int major, int minor, int build)
    {
        var version = UsernsTools.Facts.ToolVersion.AsVersion(text);

        Assert.NotNull(version);
        Assert.Equal((major, minor, build), (version.Major, version.Minor, version.Build));
    }
}
