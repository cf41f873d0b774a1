using UsernsTools.Facts;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Facts;

public sealed class ToolReaderTests : IDisposable
{
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    /// <summary>One tool described as the tool reader describes each: with dpkg's statoverride file below the root.</summary>
    private ToolFact Describe(string name, string machinePath) =>
        ToolReader.Describe(_root.Path, name, machinePath, _root.Text(ToolReader.StatOverridePath));

    [Fact]
    public void AStatOverrideForTheToolIsRecorded()
    {
        _root.WithExecutable("/usr/bin/bwrap").WithExecutable("/usr/bin/unshare")
            .WithFile("/var/lib/dpkg/statoverride", "root crontab 2755 /usr/bin/crontab\nroot root 4755 /usr/bin/bwrap\n");

        Assert.Equal("root root 4755 /usr/bin/bwrap", Describe("bwrap", "/usr/bin/bwrap").StatOverride);
        Assert.Null(Describe("unshare", "/usr/bin/unshare").StatOverride);
    }

    [Fact]
    public async Task FindsToolsOnPathAndAsksVersionsInTheCLocale()
    {
        _root.WithExecutable("/opt/bin/unshare").WithExecutable("/usr/bin/bwrap").WithExecutable("/usr/bin/newuidmap").WithFile("/usr/bin/setpriv", "not executable");
        var runner = new FakeProcessRunner(r => FakeProcessRunner.Output(Path.GetFileName(r.Argv[0]) switch
        {
            "unshare" => "unshare from util-linux 2.38.1\n",
            "bwrap" => "bubblewrap 0.8.0\n",
            _ => "",
        }));
        var tools = await ToolReader.ReadAsync(_root.Path, "/opt/bin:/usr/bin", Array.Empty<string>(), runner, runVersions: true, CancellationToken.None);

        Assert.Equal(new[] { "unshare", "setpriv", "bwrap", "newuidmap", "newgidmap" }, tools.Select(t => t.Name));
        var unshare = tools[0];
        Assert.Equal((true, "/opt/bin/unshare", "2.38.1"), (unshare.Found, unshare.Path, unshare.Version));
        Assert.False(tools[1].Found);
        Assert.Equal("0.8.0", tools[2].Version);
        Assert.Equal((true, (string?)null), (tools[3].Found, tools[3].Version));
        Assert.False(tools[4].Found);

        // newuidmap has no --version; only unshare and bwrap were asked, each in English.
        Assert.Equal(new[] { "/opt/bin/unshare", "/usr/bin/bwrap" }, runner.Requests.Select(r => r.Argv[0]).Order());
        Assert.All(runner.Requests, r =>
        {
            Assert.Equal("--version", Assert.Single(r.Argv.Skip(1)));
            Assert.Equal("C", r.Environment!["LC_ALL"]);
            Assert.True(r.Timeout <= TimeSpan.FromSeconds(5));
        });
    }

    [Fact]
    public async Task NothingIsExecutedWhenVersionsAreNotWanted()
    {
        _root.WithExecutable("/usr/bin/unshare");
        var runner = new FakeProcessRunner(_ => throw new InvalidOperationException("must not run"));
        var tools = await ToolReader.ReadAsync(_root.Path, "/usr/bin", Array.Empty<string>(), runner, runVersions: false, CancellationToken.None);
        Assert.True(tools[0].Found);
        Assert.Null(tools[0].Version);
        Assert.Empty(runner.Requests);
    }

    [Fact]
    public async Task ExtraBwrapPathsAreDescribedAfterThePathOne()
    {
        _root.WithExecutable("/usr/bin/bwrap").WithExecutable("/opt/app/bwrap");
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Output("bubblewrap 0.11.0"));
        var tools = await ToolReader.ReadAsync(_root.Path, "/usr/bin", new[] { "/usr/bin/bwrap", "/opt/app/bwrap", "/missing/bwrap" }, runner, runVersions: true, CancellationToken.None);
        var bwraps = tools.Where(t => t.Name == "bwrap").ToList();
        Assert.Equal(new[] { "/usr/bin/bwrap", "/opt/app/bwrap", "/missing/bwrap" }, bwraps.Select(b => b.Path));
        Assert.Equal(new[] { true, true, false }, bwraps.Select(b => b.Found));
        Assert.Equal(2, runner.Requests.Count);
    }

    [Fact]
    public async Task ToolThatFailsOrHangsHasNoVersion()
    {
        _root.WithExecutable("/usr/bin/unshare").WithExecutable("/usr/bin/bwrap");
        var runner = new FakeProcessRunner(r => r.Argv[0].EndsWith("bwrap", StringComparison.Ordinal)
            ? new ProcessResult(true, null, "", "", TimedOut: true, false, TimeSpan.FromSeconds(3), null)
            : new ProcessResult(false, null, "", "", false, false, TimeSpan.Zero, "Exec format error"));
        var tools = await ToolReader.ReadAsync(_root.Path, "/usr/bin", Array.Empty<string>(), runner, runVersions: true, CancellationToken.None);
        Assert.All(tools, t => Assert.Null(t.Version));
    }

    [Fact]
    public async Task RealVersionIsAskedOncePerBinaryUntilTheFileChanges()
    {
        // A stand-in tool on the live root that counts how often it is run.
        var counter = _root.Full("/runs");
        var tool = _root.Full("/bin/fake-unshare");
        _root.WithExecutable("/bin/fake-unshare", $"#!/bin/sh\necho run >> '{counter}'\necho 'unshare from util-linux 2.99.1'\n");

        Assert.Equal("2.99.1", await ToolReader.ReadVersionAsync(ProcessRunner.Instance, "unshare", tool, CancellationToken.None));
        Assert.Equal("2.99.1", await ToolReader.ReadVersionAsync(ProcessRunner.Instance, "unshare", tool, CancellationToken.None));
        Assert.Single(File.ReadAllLines(counter));

        // An upgrade rewrites the file; the new version must be seen.
        _root.WithExecutable("/bin/fake-unshare", $"#!/bin/sh\necho run >> '{counter}'\necho 'unshare from util-linux 2.100.0'\n");
        Assert.Equal("2.100.0", await ToolReader.ReadVersionAsync(ProcessRunner.Instance, "unshare", tool, CancellationToken.None));
        Assert.Equal(2, File.ReadAllLines(counter).Length);
    }

    [Theory]
    [InlineData("unshare from util-linux 2.38.1\n", "2.38.1")]
    [InlineData("setpriv from util-linux 2.40.2-rc1\n", "2.40.2")]
    [InlineData("bubblewrap 0.8.0\n", "0.8.0")]
    [InlineData("bwrap 0.11.1\n", "0.11.1")]
    [InlineData("unshare (util-linux) 2.39\n", "2.39")]
    [InlineData("no version here\n", null)]
    [InlineData("", null)]
    public void VersionIsTheFirstDottedNumber(string output, string? expected) => Assert.Equal(expected, ToolVersion.Parse(output));

    [Fact]
    public void SetuidBitAndOwnerComeFromStat()
    {
        _root.WithExecutable("/usr/bin/newuidmap");
        var file = _root.Full("/usr/bin/newuidmap");
        File.SetUnixFileMode(file, File.GetUnixFileMode(file) | UnixFileMode.SetUser);
        var fact = Describe("newuidmap", "/usr/bin/newuidmap");
        Assert.True(fact.IsSetuid);
        Assert.Equal(CurrentProcess.EffectiveUid, fact.OwnerUid);
        Assert.Null(fact.FileCapabilities);
    }

    [KernelFact("setcap", RequiresRoot = true)]
    public async Task FileCapabilitiesAreReadFromTheExtendedAttribute()
    {
        _root.WithExecutable("/usr/bin/newuidmap");
        var file = _root.Full("/usr/bin/newuidmap");
        var setcap = await ProcessRunner.Instance.RunAsync(new ProcessRequest(new[] { "setcap", "cap_setuid=ep", file }), CancellationToken.None);
        Assert.True(setcap.ExitCode == 0, setcap.StandardError);

        var fact = Describe("newuidmap", "/usr/bin/newuidmap");
        Assert.Equal("cap_setuid=ep", fact.FileCapabilities);
        Assert.False(fact.IsSetuid);
    }

    [KernelFact("unshare", "bwrap")]
    public async Task RealToolsReportTheirPackagedVersions()
    {
        var tools = await ToolReader.ReadAsync("/", Environment.GetEnvironmentVariable("PATH"), Array.Empty<string>(), ProcessRunner.Instance, runVersions: true, CancellationToken.None);
        var unshare = tools.Single(t => t.Name == "unshare");
        var bwrap = tools.Single(t => t.Name == "bwrap");
        Assert.NotNull(unshare.Version);
        Assert.NotNull(bwrap.Version);

        // Where dpkg knows the packages, the versions must be theirs (upstream part before the Debian revision).
        var utilLinux = await PackageVersion("util-linux");
        var bubblewrap = await PackageVersion("bubblewrap");
        if (utilLinux is not null)
        {
            Assert.StartsWith(unshare.Version!, utilLinux, StringComparison.Ordinal);
            Assert.Equal(unshare.Version, tools.Single(t => t.Name == "setpriv").Version);
        }

        if (bubblewrap is not null)
        {
            Assert.StartsWith(bwrap.Version!, bubblewrap, StringComparison.Ordinal);
        }

        // Neither is setuid on a sane machine; bwrap's setuid mode is deprecated.
        Assert.Equal(HasSetuidBit(unshare.Path!), unshare.IsSetuid);
        Assert.Equal(HasSetuidBit(bwrap.Path!), bwrap.IsSetuid);
        Assert.Equal(0L, unshare.OwnerUid);
    }

    [KernelFact("newuidmap", "newgidmap")]
    public async Task NewuidmapIsSetuidOrHasFileCapabilities()
    {
        var tools = await ToolReader.ReadAsync("/", Environment.GetEnvironmentVariable("PATH"), Array.Empty<string>(), ProcessRunner.Instance, runVersions: true, CancellationToken.None);
        var newuidmap = tools.Single(t => t.Name == "newuidmap");
        var newgidmap = tools.Single(t => t.Name == "newgidmap");
        Assert.Null(newuidmap.Version);
        Assert.Equal(HasSetuidBit(newuidmap.Path!), newuidmap.IsSetuid);

        // The package installs one or the other; an installed but unusable newuidmap is what rootless podman reports.
        Assert.True(newuidmap.IsSetuid || newuidmap.FileCapabilities?.Contains("cap_setuid", StringComparison.Ordinal) == true);
        Assert.True(newgidmap.IsSetuid || newgidmap.FileCapabilities?.Contains("cap_setgid", StringComparison.Ordinal) == true);
    }

    private static bool HasSetuidBit(string path) => (File.GetUnixFileMode(path) & UnixFileMode.SetUser) != 0;

    private static async Task<string?> PackageVersion(string package)
    {
        if (PathLookup.Find("dpkg-query", Environment.GetEnvironmentVariable("PATH")) is null)
        {
            return null;
        }

        var result = await ProcessRunner.Instance.RunAsync(
            new ProcessRequest(new[] { "dpkg-query", "-W", "-f=${Version}", package }),
            CancellationToken.None);
        return result.ExitCode == 0 && result.StandardOutput.Length > 0 ? result.StandardOutput : null;
    }
}
