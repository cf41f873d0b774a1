using FsCheck;
using FsCheck.Fluent;
using UsernsTools.Configuration;
using Xunit;

namespace UsernsTools.Tests.Configuration;

public sealed class SysctlPrecedenceTests : IDisposable
{
    private const string Key = "user.max_user_namespaces";

    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void LaterFileNameBeatsEarlierOneAndTheLoserIsShadowed()
    {
        _root.WithFile("/etc/sysctl.d/60-userns.conf", $"{Key} = 0\n")
             .WithFile("/usr/lib/sysctl.d/99-vendor.conf", $"{Key}=15000\n");
        var key = SysctlPrecedence.Resolve(_root.Path)[Key]!;
        Assert.Equal("15000", key.Winner.Value);
        Assert.Equal("/usr/lib/sysctl.d/99-vendor.conf:1", key.Winner.Source);
        var loser = Assert.Single(key.Shadowed);
        Assert.Equal(("/etc/sysctl.d/60-userns.conf", 1, "0"), (loser.File, loser.Line, loser.Value));
    }

    [Fact]
    public void SameNameInEtcHidesTheVendorFile()
    {
        _root.WithFile("/etc/sysctl.d/50-bubblewrap.conf", "kernel.unprivileged_userns_clone=0\n")
             .WithFile("/usr/lib/sysctl.d/50-bubblewrap.conf", "kernel.unprivileged_userns_clone=1\n")
             .WithFile("/lib/sysctl.d/50-bubblewrap.conf", "kernel.unprivileged_userns_clone=1\n");
        var result = SysctlPrecedence.Resolve(_root.Path);
        var key = result["kernel.unprivileged_userns_clone"]!;
        Assert.Equal("0", key.Winner.Value);
        Assert.Empty(key.Shadowed);
        Assert.Equal(new[] { "/etc/sysctl.d/50-bubblewrap.conf" }, result.FilesInOrder);
    }

    [Fact]
    public void RunAndUsrLocalRankBetweenEtcAndUsrLib()
    {
        _root.WithFile("/run/sysctl.d/10-a.conf", "a.b = run\n")
             .WithFile("/usr/local/lib/sysctl.d/10-a.conf", "a.b = local\n")
             .WithFile("/usr/local/lib/sysctl.d/20-b.conf", "c.d = local\n")
             .WithFile("/usr/lib/sysctl.d/20-b.conf", "c.d = usr\n");
        var result = SysctlPrecedence.Resolve(_root.Path);
        Assert.Equal("run", result["a.b"]!.Winner.Value);
        Assert.Equal("local", result["c.d"]!.Winner.Value);
        Assert.Equal(new[] { "/run/sysctl.d/10-a.conf", "/usr/local/lib/sysctl.d/20-b.conf" }, result.FilesInOrder);
    }

    [Fact]
    public void EtcSysctlConfIsAppliedLast()
    {
        _root.WithFile("/etc/sysctl.conf", $"# local settings\n{Key} = 100\n")
             .WithFile("/etc/sysctl.d/zz-last.conf", $"{Key} = 200\n");
        var result = SysctlPrecedence.Resolve(_root.Path);
        Assert.Equal("/etc/sysctl.conf:2", result[Key]!.Winner.Source);
        Assert.Equal("200", Assert.Single(result[Key]!.Shadowed).Value);
        Assert.Equal("/etc/sysctl.conf", result.FilesInOrder[^1]);
    }

    [Fact]
    public void DebiansLinkToSysctlConfDoesNotMakeItShadowItself()
    {
        _root.WithFile("/etc/sysctl.conf", $"{Key} = 7\n")
             .WithLink("/etc/sysctl.d/99-sysctl.conf", "../sysctl.conf")
             .WithFile("/etc/sysctl.d/99-zz.conf", $"{Key} = 9\n");
        var result = SysctlPrecedence.Resolve(_root.Path);
        var key = result[Key]!;
        Assert.Equal(("7", "/etc/sysctl.conf"), (key.Winner.Value, key.Winner.File));
        Assert.Equal("/etc/sysctl.d/99-zz.conf", Assert.Single(key.Shadowed).File);
        Assert.Equal(new[] { "/etc/sysctl.d/99-sysctl.conf", "/etc/sysctl.d/99-zz.conf", "/etc/sysctl.conf" }, result.FilesInOrder);
    }

    [Fact]
    public void LinkToDevNullMasksTheVendorFileAndSetsNothing()
    {
        _root.WithLink("/etc/sysctl.d/50-bubblewrap.conf", "/dev/null")
             .WithFile("/usr/lib/sysctl.d/50-bubblewrap.conf", "kernel.unprivileged_userns_clone=1\n");
        var result = SysctlPrecedence.Resolve(_root.Path);
        Assert.Null(result["kernel.unprivileged_userns_clone"]);
        Assert.Empty(result.FilesInOrder);
    }

    [Fact]
    public void AbsoluteLinksAreFollowedInsideTheRoot()
    {
        _root.WithFile("/opt/vendor/userns.conf", $"{Key} = 3\n")
             .WithLink("/etc/sysctl.d/40-userns.conf", "/opt/vendor/userns.conf");
        Assert.Equal("3", SysctlPrecedence.Resolve(_root.Path)[Key]!.Winner.Value);
    }

    [Fact]
    public void ParsesCommentsDashesSlashesAndWhitespace()
    {
        _root.WithFile("/etc/sysctl.d/10-syntax.conf", """
            # comment = 1
            ; also a comment = 2

              -user/max_user_namespaces	=	  42  
            net/ipv4/conf/eth0.100/rp_filter = 1
            kernel.userns_restrict=
            no equals sign here
            not.a.conf.line
            """);
        var result = SysctlPrecedence.Resolve(_root.Path);
        Assert.Equal(("42", 4), (result[Key]!.Winner.Value, result[Key]!.Winner.Line));
        Assert.NotNull(result["net.ipv4.conf.eth0/100.rp_filter"]);
        Assert.Equal("", result["kernel.userns_restrict"]!.Winner.Value);
        Assert.Equal(3, result.Keys.Count);
    }

    [Fact]
    public void OnlyConfFilesAreRead()
    {
        _root.WithFile("/etc/sysctl.d/README.sysctl", $"{Key} = 1\n")
             .WithFile("/etc/sysctl.d/99-x.conf.dpkg-old", $"{Key} = 2\n")
             .WithFolder("/etc/sysctl.d/dir.conf");
        Assert.Null(SysctlPrecedence.Resolve(_root.Path)[Key]);
    }

    [Fact]
    public void OverlayAddsReplacesAndRemovesFilesWithoutWriting()
    {
        _root.WithFile("/etc/sysctl.d/60-off.conf", $"{Key} = 0\n")
             .WithFile("/usr/lib/sysctl.d/70-vendor.conf", $"{Key} = 5\n")
             .WithFile("/etc/sysctl.d/70-vendor.conf", $"{Key} = 6\n");

        var planned = SysctlPrecedence.Resolve(_root.Path, new Dictionary<string, string?>
        {
            ["/etc/sysctl.d/99-usernstools.conf"] = $"{Key} = 28633\n",
        });
        Assert.Equal(("28633", "/etc/sysctl.d/99-usernstools.conf:1"), (planned[Key]!.Winner.Value, planned[Key]!.Winner.Source));
        Assert.Equal(new[] { "0", "6" }, planned[Key]!.Shadowed.Select(a => a.Value));
        Assert.False(File.Exists(_root.Full("/etc/sysctl.d/99-usernstools.conf")));

        // Removing the /etc copy uncovers the vendor file of the same name.
        var removed = SysctlPrecedence.Resolve(_root.Path, new Dictionary<string, string?> { ["/etc/sysctl.d/70-vendor.conf"] = null });
        Assert.Equal(("5", "/usr/lib/sysctl.d/70-vendor.conf"), (removed[Key]!.Winner.Value, removed[Key]!.Winner.File));

        var replaced = SysctlPrecedence.Resolve(_root.Path, new Dictionary<string, string?> { ["/etc/sysctl.d/60-off.conf"] = "# emptied\n" });
        Assert.Empty(replaced[Key]!.Shadowed);
    }

    [Fact]
    public void OverlayReachesSysctlConfThroughDebiansLink()
    {
        _root.WithFile("/etc/sysctl.conf", "")
             .WithLink("/etc/sysctl.d/99-sysctl.conf", "../sysctl.conf");
        var result = SysctlPrecedence.Resolve(_root.Path, new Dictionary<string, string?> { ["/etc/sysctl.conf"] = $"{Key}=1\n" });
        Assert.Equal("/etc/sysctl.conf", result[Key]!.Winner.File);
        Assert.Empty(result[Key]!.Shadowed);
    }

    [Fact]
    public void EmptyRootHasNoKeys()
    {
        var result = SysctlPrecedence.Resolve(_root.Path);
        Assert.Empty(result.Keys);
        Assert.Empty(result.FilesInOrder);
    }

    [Fact]
    public void NormalizingIsIdempotentAndSlashFormMeansTheDottedKey()
    {
        var segment = Gen.Elements("user", "max_user_namespaces", "kernel", "net", "ipv4", "eth0");
        var keys = Gen.ListOf(segment).Where(l => l.Count >= 1).Select(l => l.ToArray()).ToArbitrary();
        Prop.ForAll(keys, parts =>
        {
            var dotted = string.Join('.', parts);
            var slashed = string.Join('/', parts);
            return SysctlPrecedence.NormalizeKey(slashed) == dotted
                && SysctlPrecedence.NormalizeKey(dotted) == dotted
                && SysctlPrecedence.NormalizeKey(SysctlPrecedence.NormalizeKey(slashed)) == dotted;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void AssignmentsAreAppliedInLexicalOrderOfFileNameWhateverTheDirectory()
    {
        // Random file names spread over the five directories: the winner is always the lexically last name.
        var dirs = SysctlPrecedence.Directories;
        var files = Gen.Choose(0, dirs.Count - 1)
            .SelectMany(d => Gen.Choose(0, 999).Select(n => (Dir: dirs[d], Name: $"{n:D3}-x.conf")))
            .ListOf()
            .Where(l => l.Count > 0)
            .ToArbitrary();
        Prop.ForAll(files, list =>
        {
            using var root = new TestRoot();
            var unique = list.GroupBy(f => f.Name).Select(g => g.First()).ToList();
            foreach (var (dir, name) in unique)
            {
                root.WithFile($"{dir}/{name}", $"{Key} = {name}\n");
            }

            var winner = SysctlPrecedence.Resolve(root.Path)[Key]!;
            return winner.Winner.Value == unique.Select(f => f.Name).Max(StringComparer.Ordinal)
                && winner.Shadowed.Count == unique.Count - 1;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(30));
    }
}
