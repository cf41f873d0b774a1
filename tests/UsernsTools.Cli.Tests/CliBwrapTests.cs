using System.Text.Json;
using Xunit;

namespace UsernsTools.Tests.Cli;

/// <summary><c>usernstools test-bwrap</c> and <c>usernstools denials</c> as scripts run them.</summary>
public class CliBwrapTests
{
    private static readonly string[] NobodyWrapper = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups" };

    private static JsonElement Mode(JsonDocument json, string mode) =>
        json.RootElement.EnumerateArray().Single(p => p.GetProperty("mode").GetString() == mode);

    [KernelFact("bwrap", "setpriv", RequiresRoot = true, RequiresUnprivilegedUserns = true)]
    public void RootProbesBwrapAsNobodyAndExitsZero()
    {
        var result = Cli.Run("test-bwrap", "--json");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(new[] { "Strict", "Try", "Network", "Proc", "Flatpak" }, json.RootElement.EnumerateArray().Select(p => p.GetProperty("mode").GetString()));
        var strict = Mode(json, "Strict");
        Assert.True(strict.GetProperty("uidMapped").GetBoolean());
        Assert.Equal("0 65534 1", strict.GetProperty("uidMap").GetString());
        Assert.Equal("nobody", strict.GetProperty("user").GetString());
        // The map's outside id is nobody's: the runtime switched to nobody before bwrap, with no setpriv in between.
        Assert.EndsWith("/bwrap", strict.GetProperty("command")[0].GetString(), StringComparison.Ordinal);
    }

    [KernelFact("bwrap", "setpriv", RequiresRoot = true)]
    public void AUserWhoIsNotRootGetsNoResultsInAnotherUsersName()
    {
        // nobody asking for daemon: bwrap ran as nobody and its success was reported as daemon's.
        var result = Cli.RunWrapped(NobodyWrapper, null, "test-bwrap", "--user", "daemon", "--json");

        Assert.True(result.ExitCode == 2, result.Stdout + result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.All(json.RootElement.EnumerateArray(), p =>
        {
            Assert.Equal("daemon", p.GetProperty("user").GetString());
            Assert.False(p.GetProperty("succeeded").GetBoolean());
            Assert.Equal(("LaunchFailed", "EPERM"), (p.GetProperty("errorKind").GetString(), p.GetProperty("errno").GetString()));
            Assert.StartsWith("Only root can run the probes as daemon", p.GetProperty("message").GetString(), StringComparison.Ordinal);
        });

        var text = Cli.RunWrapped(NobodyWrapper, null, "test-bwrap", "--user", "daemon");
        Assert.DoesNotContain("combined run", text.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/tmp", "is a directory")]
    [InlineData("/etc/passwd", "has no execute permission (mode 0644)")]
    public void ABwrapPathThatCannotBeRunIsAUsageErrorNotAMissingBubblewrap(string path, string problem)
    {
        // It said "bwrap was not found" and exited 69, as for a machine without bubblewrap.
        var result = Cli.Run("test-bwrap", "--bwrap", path);
        Assert.Equal(64, result.ExitCode);
        Assert.Equal($"usernstools: '{path}' {problem}: give the path of a bwrap program. [BwrapPathNotExecutable]\n", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [KernelFact("bwrap", "setpriv", RequiresRoot = true, RequiresUnprivilegedUserns = true)]
    public void NobodyProbesItselfAndTheTextSaysMapped()
    {
        var result = Cli.RunWrapped(NobodyWrapper, null, "test-bwrap");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var strict = result.Stdout.Split('\n').Single(l => l.TrimStart().StartsWith("Strict", StringComparison.Ordinal));
        Assert.Contains("ok, mapped", strict, StringComparison.Ordinal);
    }

    [KernelFact("bwrap", "unshare")]
    public void NestedNamespaceWithoutUserNamespacesExitsTwoWithEnospc()
    {
        var result = Cli.RunWrapped(Cli.NoUserNamespaces, null, "test-bwrap", "--json");
        Assert.True(result.ExitCode == 2, result.Stdout + result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var strict = Mode(json, "Strict");
        Assert.False(strict.GetProperty("succeeded").GetBoolean());
        Assert.Equal("NamespaceLimitExceeded", strict.GetProperty("errorKind").GetString());
        Assert.Equal("ENOSPC", strict.GetProperty("errno").GetString());
        Assert.Equal("Create", strict.GetProperty("stage").GetString());
        Assert.Contains("max_user_namespaces", strict.GetProperty("likelyCause").GetString(), StringComparison.Ordinal);

        // Root of the nested namespace may run bwrap without a user namespace; that is not "try mode works".
        Assert.False(Mode(json, "Try").GetProperty("uidMapped").GetBoolean());
    }

    [KernelFact("bwrap", "unshare")]
    public void InAMaskedProcTheProcAndFlatpakModesFailWithTheMessageFlatpakMeets()
    {
        var result = Cli.RunWrapped(KernelRecipes.MaskedProc, null, "test-bwrap", "--json");

        // The strict answer stays "bwrap maps the subject" (exit 0); the modes say which sandboxes cannot start.
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.True(Mode(json, "Strict").GetProperty("succeeded").GetBoolean());
        foreach (var mode in new[] { "Proc", "Flatpak" })
        {
            var probe = Mode(json, mode);
            Assert.False(probe.GetProperty("succeeded").GetBoolean(), mode + " read as ok in a masked /proc");
            Assert.Equal("ProcMountDenied", probe.GetProperty("errorKind").GetString());
            Assert.Equal("Can't mount proc on /newroot/proc: Operation not permitted", probe.GetProperty("message").GetString());
            Assert.Contains("/proc/keys", probe.GetProperty("likelyCause").GetString(), StringComparison.Ordinal);
        }
    }

    [KernelFact("bwrap", "unshare")]
    public void StatusInAMaskedProcNamesTheCoveringMountAndIsLimited()
    {
        var result = Cli.RunWrapped(KernelRecipes.MaskedProc, null, "status", "--json");

        Assert.True(result.ExitCode == 1, result.Stdout + result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal("Limited", root.GetProperty("verdict").GetString());

        // Recorded as a fact, so the report explains itself when read back elsewhere.
        var overmounts = root.GetProperty("facts").GetProperty("environment").GetProperty("procOvermounts").EnumerateArray().ToList();
        var keys = Assert.Single(overmounts, m => m.GetProperty("mountPoint").GetString() == "/proc/keys");
        Assert.Equal("/null", keys.GetProperty("root").GetString());

        var finding = root.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "BwrapProcMountDenied");
        var evidence = finding.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(evidence, e => e.StartsWith("/proc/self/mountinfo: /proc/keys is covered by", StringComparison.Ordinal));
        Assert.Contains(evidence, e => e.StartsWith("bwrap probe Flatpak failed", StringComparison.Ordinal));
        Assert.Contains("/proc/keys", finding.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Contains("without `--mount-proc`", finding.GetProperty("remediation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void APathWithoutBwrapExits69()
    {
        var dotnetDir = Path.GetDirectoryName(Cli.Dotnet)!;
        Assert.False(File.Exists(Path.Combine(dotnetDir, "bwrap")), "dotnet's folder holds a bwrap; the test needs a PATH without one.");
        var result = Cli.RunWrapped(Array.Empty<string>(), dotnetDir, "test-bwrap", "--json");
        Assert.Equal(69, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.All(json.RootElement.EnumerateArray(), p => Assert.Equal("NotInstalled", p.GetProperty("errorKind").GetString()));
    }

    [Fact]
    public void DenialsOfALogFileAreOneJsonObjectPerMatchingLine()
    {
        var result = Cli.Run("denials", "--path", Cli.Fixture("logs/ubuntu-24.04-kernel.log"), "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var denials = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(
            new[] { "AppArmorCapabilityDenied", "AppArmorUsernsTransition", "AppArmorMapWriteDenied", "AppArmorCapabilityDenied" },
            denials.Select(d => d.GetProperty("kind").GetString()));
        Assert.Equal("/proc/4242/uid_map", denials[2].GetProperty("name").GetString());
        Assert.All(denials, d => Assert.False(string.IsNullOrEmpty(d.GetProperty("meaning").GetString())));
    }

    [Fact]
    public void StreamedDenialsAreTheJsonTheReportFormatHoldsForTheList()
    {
        // The array is written one denial at a time; the text must be what the one serializer writes for the whole list.
        var log = Cli.Fixture("logs/ubuntu-24.04-kernel.log");
        var result = Cli.Run("denials", "--path", log, "--json");

        var read = UsernsEngine.GetDenials(new Facts.Denials.DenialQuery { Paths = new[] { log } }, CancellationToken.None).ToList();
        Assert.NotEmpty(read);
        Assert.Equal(JsonSerializer.Serialize<IReadOnlyList<Facts.Denials.UsernsDenial>>(read, Serialization.UsernsJsonContext.Default.IReadOnlyListUsernsDenial) + "\n", result.Stdout);
    }

    [Theory]
    [InlineData("2025-01-14T00:00:00Z", 3)]
    [InlineData("2025-01-14T09:12:31+00:00", 1)]
    [InlineData("2025-01-15T00:00:00Z", 0)]
    public void DenialsSinceSkipOlderEvents(string since, int expected)
    {
        var result = Cli.Run("denials", "--path", Cli.Fixture("logs/ubuntu-24.04-kernel.log"), "--since", since, "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(expected, json.RootElement.GetArrayLength());
    }

    [Fact]
    public void DenialsTextIsOneLinePerDenial()
    {
        var result = Cli.Run("denials", "--path", Cli.Fixture("logs/ubuntu-24.04-kernel.log"), "--since", "2025-01-14T00:00:00Z");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("2025-01-14T09:12:30.884Z AppArmorMapWriteDenied bwrap[4242]", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void DenialsTextEscapesWhatALocalUserPutInTheProcessName()
    {
        // comm is hex in the audit record when it holds control characters; decoded, it would clear the screen,
        // ring the bell and forge a second output line.
        const string comm = "a\u001b[2J\u0007\nFORGED";
        var line = "audit: type=1400 audit(1714039201.000:463): apparmor=\"DENIED\" operation=\"userns_create\" class=\"namespace\" "
            + "info=\"User namespace creation restricted\" error=-13 profile=\"unconfined\" pid=4324 comm="
            + Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(comm));
        var log = Path.Combine(Path.GetTempPath(), "usernstools-hostile-" + Guid.NewGuid().ToString("N") + ".log");
        File.WriteAllText(log, line + "\n");
        try
        {
            var result = Cli.Run("denials", "--path", log);
            Assert.True(result.ExitCode == 0, result.Stderr);
            Assert.DoesNotContain('\u001b', result.Stdout);
            Assert.DoesNotContain('\u0007', result.Stdout);
            var lines = result.Stdout.TrimEnd('\n').Split('\n');
            Assert.Single(lines);
            Assert.Contains("a\\e[2J\\x07\\nFORGED[4324]", lines[0], StringComparison.Ordinal);

            // JSON already escapes: the value round-trips unchanged.
            var json = Cli.Run("denials", "--path", log, "--json");
            using var document = System.Text.Json.JsonDocument.Parse(json.Stdout);
            Assert.Equal(comm, document.RootElement[0].GetProperty("processName").GetString());
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public void DenialsOfReadableFilesBesideOneThatIsNotAreWrittenAndTheCallExits66()
    {
        var result = Cli.Run("denials", "--path", Cli.Fixture("logs/ubuntu-24.04-kernel.log"), "--path", "/nonexistent/usernstools.log", "--path", "", "--json");

        Assert.Equal(66, result.ExitCode);
        Assert.Equal(4, JsonDocument.Parse(result.Stdout).RootElement.GetArrayLength());
        Assert.Equal(
            new[] { "usernstools: error: '/nonexistent/usernstools.log' does not exist. [LogNotFound]", "usernstools: error: A log path is empty. [LogNotFound]" },
            result.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("1000000d")]
    [InlineData("100000000000000000000h")]
    public void AnAgeBeforeTheCalendarBeginsIsAUsageError(string age)
    {
        var result = Cli.Run("denials", "--path", Cli.Fixture("logs/ubuntu-24.04-kernel.log"), "--since", age);

        Assert.Equal(64, result.ExitCode);
        Assert.StartsWith($"usernstools: --since '{age}' reaches back before the calendar begins (year 1)", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void DenialsOfAMissingFileExit66()
    {
        var result = Cli.Run("denials", "--path", "/nonexistent/usernstools.log");
        Assert.Equal(66, result.ExitCode);
        Assert.Contains("LogNotFound", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [RestrictedKernelLogFact("setpriv")]
    public void AnUnreadableKernelLogIsSaidNotSilentlyEmpty()
    {
        var result = Cli.RunWrapped(NobodyWrapper, null, "denials", "--json");

        Assert.Equal(77, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("dmesg_restrict", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("DenialLogNotReadable", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
