using UsernsTools.Facts;
using Xunit;

namespace UsernsTools.Tests.Facts;

public sealed class SubordinateIdReaderTests : IDisposable
{
    private readonly TestRoot _root = new TestRoot()
        .WithFile("/etc/passwd", "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\ncarol:x:1002:1002::/home/carol:/bin/sh\n");

    public void Dispose() => _root.Dispose();

    private static UsernsSubject Alice => new() { User = "alice", Uid = 1000, Gid = 1000, HasPasswdEntry = true };

    [Fact]
    public void ReadsTheSubjectsRangesByNameOrUid()
    {
        _root.WithFile("/etc/subuid", "# managed by useradd\n\nalice:100000:65536\nbob:165536:65536\n1000:300000:1000\nbroken line\nalice:x:5\nalice:1:0\n");
        var ranges = SubordinateIdReader.ReadFile(_root.Path, SubordinateIdKind.Uid, Alice);
        Assert.Equal(new[] { ("alice", 100000L, 65536L, 3), ("1000", 300000L, 1000L, 5) }, ranges.Select(r => (r.User, r.Start, r.Count, r.Line)));
        Assert.All(ranges, r => Assert.Equal(("/etc/subuid", SubordinateIdKind.Uid), (r.File, r.Kind)));
        Assert.True(ranges[0].IsLargeEnough);
        Assert.False(ranges[1].IsLargeEnough);
        Assert.All(ranges, r => Assert.Empty(r.OverlapsWith));
    }

    [Fact]
    public void EachLineNoRangeComesFromIsNamedWithItsFileLineAndReason()
    {
        _root.WithFile("/etc/subuid", "# managed by useradd\n\nalice:100000:65536\nalice 200000 65536\nalice:x:5\nalice:1:0\n:5:5\n")
            .WithFile("/etc/subgid", "bob:1:4294967296\nbob:100000:65536\n");

        Assert.Equal(
            new[]
            {
                "/etc/subuid:4: 'alice 200000 65536' is not NAME:START:COUNT; newuidmap and newgidmap get no range from it.",
                "/etc/subuid:5: 'alice:x:5' has a START or COUNT that is not a whole number; newuidmap and newgidmap get no range from it.",
                "/etc/subuid:6: 'alice:1:0' gives no ids (COUNT is 0); newuidmap and newgidmap get no range from it.",
                "/etc/subuid:7: ':5:5' is not NAME:START:COUNT; newuidmap and newgidmap get no range from it.",
                "/etc/subgid:1: 'bob:1:4294967296' goes past the largest id, 4294967295; newuidmap and newgidmap get no range from it.",
            },
            SubordinateIdReader.IgnoredLines(_root.Path));

        // The lines named are exactly those the ranges leave out.
        Assert.Equal(new[] { 3 }, SubordinateIdReader.ReadFile(_root.Path, SubordinateIdKind.Uid, null).Select(r => r.Line));
        Assert.Equal(new[] { 2 }, SubordinateIdReader.ReadFile(_root.Path, SubordinateIdKind.Gid, null).Select(r => r.Line));
    }

    [Fact]
    public void RangesInUseAreEveryUsersLinesOfBothFiles()
    {
        _root.WithFile("/etc/subuid", "alice:100000:65536\nbob:165536:65536\n").WithFile("/etc/subgid", "# groups\ncarol:231072:65536\n");
        var inUse = SubordinateIdReader.ReadInUse(_root.Path);
        Assert.Equal(
            new[] { ("alice", SubordinateIdKind.Uid, 100000L, 1), ("bob", SubordinateIdKind.Uid, 165536L, 2), ("carol", SubordinateIdKind.Gid, 231072L, 2) },
            inUse.Select(r => (r.User, r.Kind, r.Start, r.Line)));
    }

    [Fact]
    public void RangeContainingTheUsersOwnIdIsFlagged()
    {
        _root.WithFile("/etc/subuid", "alice:0:65536\n").WithFile("/etc/subgid", "alice:1000:1\n");
        Assert.True(Assert.Single(SubordinateIdReader.ReadFile(_root.Path, SubordinateIdKind.Uid, Alice)).ContainsOwnId);
        Assert.True(Assert.Single(SubordinateIdReader.ReadFile(_root.Path, SubordinateIdKind.Gid, Alice)).ContainsOwnId);
        _root.WithFile("/etc/subgid", "alice:1001:10\n");
        Assert.False(Assert.Single(SubordinateIdReader.ReadFile(_root.Path, SubordinateIdKind.Gid, Alice)).ContainsOwnId);
    }

    [Fact]
    public void OverlapsWithOtherUsersAreListedButNotWithTheSameUserUnderItsUid()
    {
        _root.WithFile("/etc/subuid", "alice:100000:65536\nbob:150000:65536\ncarol:200000:10\n1000:110000:10\ndave:500000:1\n");
        var all = SubordinateIdReader.Read(_root.Path, null);
        Assert.Equal(new[] { "bob" }, all.Single(r => r.User == "alice").OverlapsWith);
        Assert.Equal(new[] { "alice", "carol" }, all.Single(r => r.User == "bob").OverlapsWith);
        Assert.Equal(new[] { "bob" }, all.Single(r => r.User == "carol").OverlapsWith);
        Assert.Empty(all.Single(r => r.User == "1000").OverlapsWith);
        Assert.Empty(all.Single(r => r.User == "dave").OverlapsWith);
    }

    [Fact]
    public void AdjacentRangesDoNotOverlap()
    {
        _root.WithFile("/etc/subuid", "alice:100000:65536\nbob:165536:65536\n");
        Assert.All(SubordinateIdReader.Read(_root.Path, null), r => Assert.Empty(r.OverlapsWith));
    }

    [Fact]
    public void ReadWithoutSubjectReturnsBothFilesWithEachOwnersIdCheck()
    {
        _root.WithFile("/etc/subuid", "alice:100000:65536\nbob:1000:2000\n").WithFile("/etc/subgid", "alice:100000:65536\n");
        var all = SubordinateIdReader.Read(_root.Path, null);
        Assert.Equal(new[] { SubordinateIdKind.Uid, SubordinateIdKind.Uid, SubordinateIdKind.Gid }, all.Select(r => r.Kind));
        Assert.True(all.Single(r => r.User == "bob").ContainsOwnId);
        Assert.Equal("/etc/subgid", all[2].File);
    }

    [Fact]
    public void MissingFilesGiveNoRanges()
    {
        Assert.Empty(SubordinateIdReader.Read(_root.Path, Alice));
    }
}
