using UsernsTools.Facts;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Facts;

public sealed class UserResolverTests : IDisposable
{
    private const string Passwd = """
        root:x:0:0:root:/root:/bin/bash
        # a comment
        +nisuser::::::
        alice:x:1000:1000:Alice:/home/alice:/bin/bash
        bob:x:1001:100::/home/bob:/bin/sh
        nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
        """;

    private static readonly Dictionary<string, string?> s_noEnv = new();

    private readonly TestRoot _root = new TestRoot().WithFile("/etc/passwd", Passwd);

    public void Dispose() => _root.Dispose();

    [Fact]
    public void ExplicitNameIsLookedUpInTheRootsPasswd()
    {
        var subject = UserResolver.Resolve(_root.Path, "bob", 0, s_noEnv);
        Assert.Equal(("bob", 1001L, 100L), (subject.User, subject.Uid, subject.Gid));
        Assert.Equal("Explicit", subject.Source);
        Assert.True(subject.HasPasswdEntry);
        Assert.False(subject.IsCaller);
    }

    [Fact]
    public void UnknownNameThrowsUnknownUserWithTheNameAsTarget()
    {
        var ex = Assert.Throws<UsernsException>(() => UserResolver.Resolve(_root.Path, "mallory", 0, s_noEnv));
        Assert.Equal("UnknownUser", ex.ErrorId);
        Assert.Equal(UsernsErrorCategory.ObjectNotFound, ex.Category);
        Assert.Equal("mallory", ex.TargetValue);
    }

    [Fact]
    public void NumericUidWithAnEntryTakesItsNameAndGroup()
    {
        var subject = UserResolver.Resolve(_root.Path, "1000", 0, s_noEnv);
        Assert.Equal(("alice", 1000L, 1000L, true), (subject.User, subject.Uid, subject.Gid, subject.HasPasswdEntry));
    }

    [Fact]
    public void NumericUidWithoutAnEntryIsAllowedWithGidEqualToUid()
    {
        var subject = UserResolver.Resolve(_root.Path, "123456", 0, s_noEnv);
        Assert.Equal(("123456", 123456L, 123456L), (subject.User, subject.Uid, subject.Gid));
        Assert.False(subject.HasPasswdEntry);
        Assert.Equal("Explicit", subject.Source);
    }

    [Theory]
    [InlineData("4294967295")]
    [InlineData("-1")]
    [InlineData("-65534")]
    public void UidOutsideTheKernelsRangeIsRejected(string user)
    {
        var ex = Assert.Throws<UsernsException>(() => UserResolver.Resolve(_root.Path, user, 0, s_noEnv));
        Assert.Equal("InvalidUserId", ex.ErrorId);
        Assert.Equal(UsernsErrorCategory.InvalidArgument, ex.Category);
        Assert.Equal($"'{user}' is not a valid uid: uids range from 0 to 4294967294.", ex.Message);
    }

    [Fact]
    public void RootDefaultsToTheSudoUser()
    {
        var subject = UserResolver.Resolve(_root.Path, null, 0, new Dictionary<string, string?> { ["SUDO_UID"] = "1001" });
        Assert.Equal(("bob", 1001L, "SudoUser", false), (subject.User, subject.Uid, subject.Source, subject.IsCaller));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    [InlineData("garbage")]
    public void RootWithoutAUsefulSudoUidDefaultsToNobody(string? sudoUid)
    {
        var env = new Dictionary<string, string?> { ["SUDO_UID"] = sudoUid };
        var subject = UserResolver.Resolve(_root.Path, null, 0, env);
        Assert.Equal(("nobody", 65534L, 65534L, "DefaultNobody"), (subject.User, subject.Uid, subject.Gid, subject.Source));
        Assert.True(subject.HasPasswdEntry);
    }

    [Fact]
    public void NobodyWithoutAnEntryFallsBackToTheOverflowId()
    {
        using var bare = new TestRoot().WithFile("/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
        var subject = UserResolver.Resolve(bare.Path, null, 0, s_noEnv);
        Assert.Equal(("nobody", 65534L, false), (subject.User, subject.Uid, subject.HasPasswdEntry));
    }

    [Fact]
    public void NonRootCallerDiagnosesItself()
    {
        var subject = UserResolver.Resolve(_root.Path, null, 1000, new Dictionary<string, string?> { ["SUDO_UID"] = "1001" });
        Assert.Equal(("alice", 1000L, "Caller", true), (subject.User, subject.Uid, subject.Source, subject.IsCaller));
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("1000")]
    public void ExplicitUserEqualToTheCallerIsTheCaller(string user)
    {
        var subject = UserResolver.Resolve(_root.Path, user, 1000, s_noEnv);
        Assert.True(subject.IsCaller);
        Assert.Equal("Explicit", subject.Source);
    }

    [Fact]
    public void LiveRootResolvesUsersFromTheSystemDatabase()
    {
        // root exists on every machine, through /etc/passwd or NSS.
        var subject = UserResolver.Resolve("/", "root", 4242, s_noEnv);
        Assert.Equal((0L, true), (subject.Uid, subject.HasPasswdEntry));
    }

    [Theory]
    [InlineData("0 0 4294967295\n", 65534, true)]
    [InlineData("0 1000 1\n", 65534, false)]
    [InlineData("0 1000 1\n", 0, true)]
    [InlineData("0 1000 1\n1 100000 65536\n", 65534, true)]
    [InlineData(null, 65534, true)]
    public void MappedUidsAreReadFromTheUidMap(string? map, long uid, bool mapped) =>
        Assert.Equal(mapped, UserResolver.IsMapped(map, uid));
}
