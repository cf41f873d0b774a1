using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using Xunit;

namespace UsernsTools.Tests.Diagnosis;

/// <summary>The subject's /etc/subuid and /etc/subgid ranges.</summary>
public class SubordinateIdRuleTests
{
    [Fact]
    public void HealthyRangesAreNoFinding()
    {
        Assert.Empty(new SnapshotBuilder().Subuid(100000, 65536).Subgid(100000, 65536).Works().Diagnose().Findings);
    }

    [Fact]
    public void MissingSubgidAloneIsNamed()
    {
        var finding = Assert.Single(new SnapshotBuilder().Subuid(100000, 65536).NoSubgids().Works().Diagnose().Findings);

        Assert.Equal(FindingIds.SubordinateIdsMissing, finding.Id);
        Assert.Equal("subuid: 100000:65536; subgid: none", finding.CurrentValue);
        Assert.Contains(finding.Evidence, e => e.StartsWith("/etc/subgid: no line for alice", StringComparison.Ordinal));
        Assert.DoesNotContain(finding.Evidence, e => e.StartsWith("/etc/subuid: no line", StringComparison.Ordinal));
    }

    [Fact]
    public void SmallRangeIsTooFew()
    {
        var finding = Assert.Single(new SnapshotBuilder().Subuid(100000, 1000).Subgid(100000, 65536).Works().Diagnose().Findings);

        Assert.Equal(FindingIds.SubordinateIdsTooFew, finding.Id);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("subuid: 1000 ids", finding.CurrentValue);
        Assert.Equal("65536", finding.RecommendedValue);
    }

    [Fact]
    public void SeveralSmallRangesThatAddUpAreEnough()
    {
        Assert.Empty(new SnapshotBuilder().Subuid(100000, 32768).Subuid(200000, 32768).Subgid(100000, 65536).Works().Diagnose().Findings);
    }

    [Theory]
    [InlineData("nobody", 65534, "DefaultNobody")]
    [InlineData("root", 0, "Explicit")]
    public void SubjectsThatNeverRunRootlessContainersAreNotJudged(string user, long uid, string source)
    {
        var b = new SnapshotBuilder { Subject = new UsernsSubject { User = user, Uid = uid, Gid = uid, Source = source, IsCaller = true } };

        Assert.Empty(b.Works().Diagnose().Findings);
    }
}
