using UsernsTools.Facts;
using Xunit;

namespace UsernsTools.Tests.Facts;

public sealed class ProcessFactReaderTests : IDisposable
{
    private const string DockerStatus = """
        Name:	cat
        Uid:	1000	1000	1000	1000
        NoNewPrivs:	1
        Seccomp:	2
        Seccomp_filters:	1
        CapEff:	00000000a80425fb
        """;

    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void InitialNamespaceIsRecognisedWithDepthZero()
    {
        _root.WithFile("/proc/self/status", "Seccomp:\t0\nSeccomp_filters:\t0\nNoNewPrivs:\t0\nCapEff:\t000001ffffffffff\n")
             .WithFile("/proc/self/uid_map", "         0          0 4294967295\n")
             .WithFile("/proc/self/gid_map", "         0          0 4294967295\n")
             .WithFile("/proc/self/setgroups", "allow\n")
             .WithLink("/proc/self/ns/user", "user:[4026531837]");
        var facts = ProcessFactReader.Read(_root.Path);
        Assert.Equal((0, 0, false), (facts.Seccomp, facts.SeccompFilters, facts.NoNewPrivs));
        Assert.True(facts.HasCapSysAdmin);
        Assert.Equal("0 0 4294967295", facts.UidMap);
        Assert.Equal("allow", facts.Setgroups);
        Assert.Equal(4026531837L, facts.UserNamespaceInode);
        Assert.Equal((true, 0), (facts.InInitialUserNamespace, facts.UserNamespaceDepth));
    }

    [Fact]
    public void ContainerProcessShowsSeccompNoNewPrivsAndMissingSysAdmin()
    {
        _root.WithFile("/proc/self/status", DockerStatus)
             .WithFile("/proc/self/uid_map", "0 1000 1\n")
             .WithFile("/proc/self/setgroups", "deny\n")
             .WithLink("/proc/self/ns/user", "user:[4026532201]");
        var facts = ProcessFactReader.Read(_root.Path);
        Assert.Equal((2, 1, true), (facts.Seccomp, facts.SeccompFilters, facts.NoNewPrivs));
        Assert.Equal("00000000a80425fb", facts.CapEff);
        Assert.False(facts.HasCapSysAdmin);
        Assert.Equal("0 1000 1", facts.UidMap);
        Assert.Equal((false, (int?)null), (facts.InInitialUserNamespace, facts.UserNamespaceDepth));
        Assert.Equal(4026532201L, facts.UserNamespaceInode);
    }

    [Fact]
    public void EmptyMapMeansNeverWrittenAndMissingMapMeansNoUserNamespaces()
    {
        _root.WithFile("/proc/self/uid_map", "");
        var facts = ProcessFactReader.Read(_root.Path);
        Assert.Equal("", facts.UidMap);
        Assert.False(facts.InInitialUserNamespace);

        using var bare = new TestRoot();
        var none = ProcessFactReader.Read(bare.Path);
        Assert.Null(none.UidMap);
        Assert.Null(none.InInitialUserNamespace);
        Assert.Null(none.Seccomp);
        Assert.Null(none.HasCapSysAdmin);
        Assert.Null(none.UserNamespaceInode);
    }

    [Fact]
    public void SeveralMapLinesAreNotTheInitialNamespace()
    {
        _root.WithFile("/proc/self/uid_map", "0 0 4294967295\n0 100000 65536\n");
        Assert.False(ProcessFactReader.Read(_root.Path).InInitialUserNamespace);
    }

    [Fact]
    public void LiveProcessAgreesWithTheKernelsNamespaceLink()
    {
        var facts = ProcessFactReader.Read("/");
        var link = new FileInfo("/proc/self/ns/user").LinkTarget;
        Assert.Equal(link, $"user:[{facts.UserNamespaceInode}]");
        Assert.Equal(facts.UserNamespaceInode == ProcessFactReader.InitialUserNamespaceInode, facts.InInitialUserNamespace);
        Assert.NotNull(facts.Seccomp);
        Assert.NotNull(facts.CapEff);
    }
}
