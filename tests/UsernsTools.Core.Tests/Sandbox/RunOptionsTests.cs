using UsernsTools.Platform;
using UsernsTools.Sandbox;
using Xunit;

namespace UsernsTools.Tests.Sandbox;

/// <summary>What the front ends' run options become: the mapping chosen, conflicts refused, text forms read.</summary>
public class RunOptionsTests
{
    // (MapRootUser, MapCurrentUser, MapUser, MapGroup, MapAuto) as a front end passes them.
    private static readonly Dictionary<string, RunOptions> s_options = new()
    {
        ["none"] = new RunOptions { FilePath = "id" },
        ["root"] = new RunOptions { FilePath = "id", MapRootUser = true },
        ["current"] = new RunOptions { FilePath = "id", MapCurrentUser = true },
        ["auto"] = new RunOptions { FilePath = "id", MapAuto = true },
        ["user"] = new RunOptions { FilePath = "id", MapUser = 1000 },
        ["user+group"] = new RunOptions { FilePath = "id", MapUser = 1000, MapGroup = 100 },
        ["root+current"] = new RunOptions { FilePath = "id", MapRootUser = true, MapCurrentUser = true },
        ["auto+user"] = new RunOptions { FilePath = "id", MapAuto = true, MapUser = 5 },
        ["group only"] = new RunOptions { FilePath = "id", MapGroup = 5 },
        ["negative user"] = new RunOptions { FilePath = "id", MapUser = -1 },
        ["no program"] = new RunOptions { FilePath = "" },
        ["relative workdir"] = new RunOptions { FilePath = "id", WorkingDirectory = "relative" },
        ["zero timeout"] = new RunOptions { FilePath = "id", Timeout = TimeSpan.Zero },
    };

    [Theory]
    [InlineData("none", IdentityMapping.None, null, null)]
    [InlineData("root", IdentityMapping.RootUser, null, null)]
    [InlineData("current", IdentityMapping.CurrentUser, null, null)]
    [InlineData("auto", IdentityMapping.Auto, null, null)]
    [InlineData("user", IdentityMapping.User, 1000L, null)]
    [InlineData("user+group", IdentityMapping.User, 1000L, 100L)]
    public void EachMappingSwitchChoosesItsMapping(string options, IdentityMapping mapping, long? uid, long? gid)
    {
        var spec = s_options[options].ToSpec();
        Assert.Equal(mapping, spec.Mapping);
        Assert.Equal(uid, spec.MapUserId);
        Assert.Equal(gid, spec.MapGroupId);
        Assert.Equal(mapping == IdentityMapping.None ? NamespaceKind.None : NamespaceKind.User, spec.ImpliedNamespaces() & NamespaceKind.User);
    }

    [Theory]
    [InlineData("root+current", RunOptionErrorIds.MappingConflict)]
    [InlineData("auto+user", RunOptionErrorIds.MappingConflict)]
    [InlineData("group only", RunOptionErrorIds.MapGroupWithoutMapUser)]
    [InlineData("negative user", SandboxErrorIds.MapIdOutOfRange)]
    [InlineData("no program", SandboxErrorIds.FilePathMissing)]
    [InlineData("relative workdir", SandboxErrorIds.PathNotAbsolute)]
    [InlineData("zero timeout", SandboxErrorIds.TimeoutNotPositive)]
    public void OptionsThatCannotWorkAreRefusedWithTheirId(string options, string errorId)
    {
        var ex = Assert.Throws<UsernsException>(s_options[options].ToSpec);
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(UsernsErrorCategory.InvalidArgument, ex.Category);
    }

    [Fact]
    public void EveryOtherOptionReachesTheSpec()
    {
        var options = new RunOptions
        {
            FilePath = "sh",
            ArgumentList = new[] { "-c", "echo $1", "" },
            Namespaces = NamespaceKind.Pid | NamespaceKind.Ipc,
            Hostname = "box",
            MountProc = true,
            WorkingDirectory = "/tmp",
            Environment = new Dictionary<string, string?> { ["A"] = "1", ["B"] = null },
            ClearEnvironment = true,
            ReadOnlyRoot = true,
            BindMounts = new[] { new BindMount("/src", "/dst", readOnly: true) },
            LoopbackNetwork = true,
            Timeout = TimeSpan.FromSeconds(3),
            Backend = BackendKind.Bwrap,
        };
        var spec = options.ToSpec();
        Assert.Equal("sh", spec.FilePath);
        Assert.Equal(new[] { "-c", "echo $1", "" }, spec.ArgumentList);
        Assert.Equal(NamespaceKind.Pid | NamespaceKind.Ipc, spec.Namespaces);
        Assert.Equal(NamespaceKind.Pid | NamespaceKind.Ipc | NamespaceKind.Uts | NamespaceKind.Mount | NamespaceKind.Net, spec.ImpliedNamespaces());
        Assert.Equal("box", spec.Hostname);
        Assert.True(spec.MountProc && spec.ClearEnvironment && spec.ReadOnlyRoot && spec.LoopbackNetwork);
        Assert.Equal("/tmp", spec.WorkingDirectory);
        Assert.Equal("1", spec.Environment["A"]);
        Assert.True(spec.Environment.ContainsKey("B"));
        Assert.Null(spec.Environment["B"]);
        Assert.Equal(("/src", "/dst", true), (spec.BindMounts[0].Source, spec.BindMounts[0].Target, spec.BindMounts[0].ReadOnly));
        Assert.Equal(TimeSpan.FromSeconds(3), spec.Timeout);
        Assert.Equal(BackendKind.Bwrap, spec.Backend);
        Assert.True(spec.DieWithCaller);
    }

    [Theory]
    [InlineData(new[] { "user,pid" }, NamespaceKind.User | NamespaceKind.Pid)]
    [InlineData(new[] { "User", "MNT", "net" }, NamespaceKind.User | NamespaceKind.Mount | NamespaceKind.Net)]
    [InlineData(new[] { " uts , ipc ,cgroup,time" }, NamespaceKind.Uts | NamespaceKind.Ipc | NamespaceKind.Cgroup | NamespaceKind.Time)]
    [InlineData(new[] { "mount" }, NamespaceKind.Mount)]
    [InlineData(new string[0], NamespaceKind.None)]
    public void NamespaceNamesAreRead(string[] items, NamespaceKind expected)
    {
        Assert.Equal(expected, RunOptionText.ParseNamespaces(items));
    }

    [Theory]
    [InlineData("usr")]
    [InlineData("255")]
    [InlineData("none")]
    public void UnknownNamespaceNamesAreRefused(string name)
    {
        var ex = Assert.Throws<UsernsException>(() => RunOptionText.ParseNamespaces(new[] { "user," + name }));
        Assert.Equal(RunOptionErrorIds.UnknownNamespaceKind, ex.ErrorId);
        Assert.Equal(name, ex.TargetValue);
    }

    [Theory]
    [InlineData("A=1", "A", "1")]
    [InlineData("A=", "A", "")]
    [InlineData("A=b=c", "A", "b=c")]
    [InlineData("PATH=/x:/y", "PATH", "/x:/y")]
    public void EnvironmentEntriesSplitAtTheFirstEquals(string entry, string name, string value)
    {
        Assert.Equal(new KeyValuePair<string, string?>(name, value), RunOptionText.ParseEnvironmentEntry(entry));
    }

    [Theory]
    [InlineData("A")]
    [InlineData("=x")]
    [InlineData("")]
    public void EnvironmentEntriesWithoutANameAndEqualsAreRefused(string entry)
    {
        Assert.Equal(RunOptionErrorIds.InvalidEnvironmentEntry, Assert.Throws<UsernsException>(() => RunOptionText.ParseEnvironmentEntry(entry)).ErrorId);
    }

    [Theory]
    [InlineData("/src", "/src", "/src", false)]
    [InlineData("/src:ro", "/src", "/src", true)]
    [InlineData("/src:/dst", "/src", "/dst", false)]
    [InlineData("/src:/dst:ro", "/src", "/dst", true)]
    [InlineData("/src:/dst:rw", "/src", "/dst", false)]
    [InlineData("data:/dst", "/base/data", "/dst", false)]
    [InlineData("../x:/dst:ro", "/x", "/dst", true)]
    public void BindMountsAreRead(string text, string source, string target, bool readOnly)
    {
        var mount = RunOptionText.ParseBindMount(text, "/base");
        Assert.Equal((source, target, readOnly), (mount.Source, mount.Target, mount.ReadOnly));
    }

    [Theory]
    [InlineData("")]
    [InlineData(":/dst")]
    [InlineData("/src:")]
    [InlineData("/a:/b:/c")]
    [InlineData("/a:/b:ro:ro")]
    public void MalformedBindMountsAreRefused(string text)
    {
        Assert.Equal(RunOptionErrorIds.InvalidBindMount, Assert.Throws<UsernsException>(() => RunOptionText.ParseBindMount(text, "/base")).ErrorId);
    }

    [Theory]
    [InlineData("unshare", "unshare")]
    [InlineData("--map-root-user", "--map-root-user")]
    [InlineData("", "''")]
    [InlineData("a b", "'a b'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$(id)", "'$(id)'")]
    [InlineData("a;b", "'a;b'")]
    [InlineData("x\ny", "'x\ny'")]
    public void ArgvIsQuotedOnlyWhereAShellWouldSplitIt(string word, string shown)
    {
        Assert.Equal(shown, ArgvText.Quote(word));
    }

    [KernelFact("sh")]
    public void QuotedArgvReadsBackAsTheSameWordsInAShell()
    {
        var words = new[] { "printf", "[%s]", "a b", "it's", "$(id)", "a;b", "x\ny", "", "\"q\"", "*", "~" };
        var psi = new System.Diagnostics.ProcessStartInfo("sh") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(ArgvText.Join(words));
        using var process = System.Diagnostics.Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(string.Concat(words.Skip(2).Select(w => "[" + w + "]")), output);
    }
}
