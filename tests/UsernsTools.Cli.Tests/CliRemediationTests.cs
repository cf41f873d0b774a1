using System.Text.Json;
using Xunit;

namespace UsernsTools.Tests.Cli;

/// <summary>
/// set, enable, disable, backups and restore on temporary roots (dsc: DscProtocolTests): what a script sees (stdout, one stderr line,
/// the exit code) and what is on disk afterwards. /proc/sys values are plain files below the root.
/// </summary>
public sealed class CliRemediationTests : IDisposable
{
    private const string Max = "user.max_user_namespaces";
    private const string DropIn = "/etc/sysctl.d/99-zz-usernstools.conf";
    private static readonly string[] s_nobody = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups" };

    private readonly string _root = Directory.CreateTempSubdirectory("usernstools-cli-fix-").FullName;

    public CliRemediationTests()
    {
        Proc(Max, "0");
        Proc("kernel.unprivileged_userns_clone", "0");
        Proc("kernel.threads-max", "62000");
        Directory.CreateDirectory(Full("/etc/sysctl.d"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void SetPersistentWritesTheDropInAndSettingsShowsItWinning()
    {
        Write("/usr/lib/sysctl.d/50-default.conf", "user.max_user_namespaces = 0\n");

        var set = Cli.Run("set", Max, "15000", "--scope", "persistent", "--root", _root);

        Assert.Equal(0, set.ExitCode);
        Assert.Equal("", set.Stderr);
        Assert.Contains("Applied", set.Stdout, StringComparison.Ordinal);
        Assert.Equal("0", ReadProc(Max));
        var settings = Cli.Run("settings", Max, "--root", _root, "--json");
        var setting = JsonDocument.Parse(settings.Stdout).RootElement[0];
        Assert.Equal("15000", setting.GetProperty("persistedValue").GetString());
        Assert.StartsWith(DropIn + ":", setting.GetProperty("persistedSource").GetString(), StringComparison.Ordinal);
        Assert.Equal("/usr/lib/sysctl.d/50-default.conf", setting.GetProperty("shadowed")[0].GetProperty("file").GetString());
    }

    [Fact]
    public void SettingAValueAlreadyInForceWritesNothingAndSaysSo()
    {
        Assert.Equal(0, Cli.Run("set", Max, "15000", "--root", _root).ExitCode);
        var before = Tree();

        var again = Cli.Run("set", Max, "15000", "--root", _root);

        Assert.Equal(0, again.ExitCode);
        Assert.Contains("Nothing to change", again.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Applied", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, Tree());
        Assert.Single(Backups());
    }

    [Theory]
    [InlineData("set", Max, "15000")]
    [InlineData("enable")]
    [InlineData("disable")]
    public void DryRunPrintsThePlanAndWritesNothing(params string[] command)
    {
        Proc(Max, command[0] == "disable" ? "30000" : "0");
        var before = Tree();

        var result = Cli.Run(command.Concat(new[] { "--root", _root, "--dry-run" }).ToArray());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("would: ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("/proc/sys/", result.Stdout, StringComparison.Ordinal);

        // The plan names the files where they really are: below --root, not the host's /etc or /proc.
        Assert.All(
            result.Stdout.Split('\n').Where(l => l.StartsWith("would: ", StringComparison.Ordinal)),
            line => Assert.Contains("(" + _root + "/", line, StringComparison.Ordinal));
        Assert.Equal(before, Tree());
    }

    [Theory]
    [InlineData("settings")]
    [InlineData("subids")]
    [InlineData("backups")]
    [InlineData("set", Max, "15000")]
    [InlineData("restore")]
    public void ARootThatDoesNotExistExitsWithNoInput(params string[] command)
    {
        var missing = Path.Combine(_root, "no-such-root");

        var result = Cli.Run(command.Concat(new[] { "--root", missing }).ToArray());

        Assert.Equal(66, result.ExitCode);
        AssertOneLine(result.Stderr);
        Assert.Contains(missing, result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void ACompetingSysctlConfStopsSetWithTheFileNamedUnlessForced()
    {
        Write("/etc/sysctl.conf", "kernel.printk = 4\nuser.max_user_namespaces = 0\n");
        var before = Tree();

        var refused = Cli.Run("set", Max, "15000", "--root", _root);

        Assert.Equal(78, refused.ExitCode);
        Assert.Contains("/etc/sysctl.conf:2", refused.Stderr, StringComparison.Ordinal);
        AssertOneLine(refused.Stderr);
        Assert.Equal(before, Tree());

        var forced = Cli.Run("set", Max, "15000", "--root", _root, "--force");

        Assert.Equal(0, forced.ExitCode);
        Assert.Contains("/etc/sysctl.conf:2", forced.Stderr, StringComparison.Ordinal);
        Assert.Contains("user.max_user_namespaces = 15000", File.ReadAllText(Full(DropIn)), StringComparison.Ordinal);
        Assert.Equal("15000", ReadProc(Max));
    }

    [Fact]
    public void BackupsListsEachRunAndRestoreGivesBackIdenticalBytesAndAbsence()
    {
        var original = "# written by hand\r\nuser.max_user_namespaces=7   \n\n";
        Write(DropIn, original);
        File.SetUnixFileMode(Full(DropIn), (UnixFileMode)0x180);
        Assert.Equal(0, Cli.Run("set", Max, "15000", "--root", _root).ExitCode);
        Assert.Equal(0, Cli.Run("enable", "--method", "sysctl", "--root", _root).ExitCode);
        Assert.Equal("1", ReadProc("kernel.unprivileged_userns_clone"));

        var backups = Backups();
        Assert.Equal(2, backups.Count);
        var text = Cli.Run("backups", "--root", _root);
        Assert.Contains(backups[0], text.Stdout, StringComparison.Ordinal);
        // Each run is named by the command line that made it, in the command line's words.
        Assert.Contains($"usernstools set {Max} 15000\n", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("usernstools enable --method sysctl\n", text.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Enable-UnprivilegedUserns", text.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Set-UsernsSetting", text.Stdout, StringComparison.Ordinal);

        // Without an id: the newest change not yet undone, so two calls walk back through both runs.
        Assert.Equal(0, Cli.Run("restore", "--root", _root).ExitCode);
        Assert.Equal("0", ReadProc("kernel.unprivileged_userns_clone"));
        var restored = Cli.Run("restore", backups[0], "--root", _root);
        Assert.Equal(0, restored.ExitCode);

        Assert.Equal(original, File.ReadAllText(Full(DropIn)));
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(Full(DropIn)));
        Assert.Equal("0", ReadProc(Max));
        Assert.Contains($"usernstools restore {backups[0]}\n", Cli.Run("backups", "--root", _root).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRestoreCommandPrintedAfterAChangeUndoesItBelowTheSameRoot()
    {
        // It printed 'usernstools restore ID' without --root: run as printed, it would undo a change on this machine.
        var set = Cli.Run("set", Max, "15000", "--root", _root);
        Assert.Equal(0, set.ExitCode);
        var line = set.Stdout.Split('\n').Single(l => l.StartsWith("Backup: ", StringComparison.Ordinal));
        var printed = line[(line.IndexOf('\'', StringComparison.Ordinal) + 1)..line.LastIndexOf('\'')];
        var backup = Backups().Single();
        Assert.Equal($"usernstools restore {backup} --root {_root}", printed);

        var restored = Cli.Run(printed.Split(' ').Skip(1).ToArray());
        Assert.Equal(0, restored.ExitCode);
        Assert.Equal("0", ReadProc(Max));
    }

    [Fact]
    public void RestoreRemovesAFileThatDidNotExist()
    {
        Assert.Equal(0, Cli.Run("set", Max, "15000", "--root", _root).ExitCode);
        Assert.True(File.Exists(Full(DropIn)));

        var dryRun = Cli.Run("restore", "--root", _root, "--dry-run");
        Assert.True(File.Exists(Full(DropIn)));
        Assert.Contains("would: ", dryRun.Stdout, StringComparison.Ordinal);

        Assert.Equal(0, Cli.Run("restore", "--root", _root).ExitCode);
        Assert.False(File.Exists(Full(DropIn)));
        Assert.Equal("0", ReadProc(Max));
    }

    [Theory]
    [InlineData(64, "set", Max, "many")]
    [InlineData(64, "set", "kernel.unprivileged_userns_clone", "2")]
    [InlineData(64, "set", "kernel.printk", "1")]
    [InlineData(64, "set", Max, "1", "--scope", "sometimes")]
    [InlineData(64, "enable", "--method", "magic")]
    [InlineData(66, "restore", "no-such-backup")]

    // 66 as the README says for missing input, not run's 127 for a program it cannot find.
    [InlineData(66, "enable", "--method", "apparmor", "--program", "/usr/bin/usernstools-no-such-program")]
    public void BadInputExitsWithOneLineAndWritesNothing(int exitCode, params string[] command)
    {
        var before = Tree();

        var result = Cli.Run(command.Concat(new[] { "--root", _root }).ToArray());

        Assert.Equal(exitCode, result.ExitCode);
        AssertOneLine(result.Stderr);
        Assert.Equal(before, Tree());
    }

    [Fact]
    public void AdviceNamesTheCommandLinesOwnCommands()
    {
        Assert.Equal(0, Cli.Run("set", Max, "15000", "--root", _root).ExitCode);
        Assert.Equal(0, Cli.Run("set", Max, "16000", "--root", _root).ExitCode);
        var backups = Backups();
        Write("/etc/sysctl.conf", "user.max_user_namespaces = 0\n");
        var before = Tree();

        var later = Cli.Run("restore", backups[0], "--root", _root);
        var overridden = Cli.Run("set", Max, "17000", "--root", _root);
        var unknown = Cli.Run("restore", "no-such-backup", "--root", _root);

        Assert.Equal(78, later.ExitCode);
        Assert.Contains($"(usernstools restore {backups[1]} --root {_root})", later.Stderr, StringComparison.Ordinal);
        Assert.Equal(78, overridden.ExitCode);
        Assert.Contains("--force", overridden.Stderr, StringComparison.Ordinal);
        Assert.Equal(66, unknown.ExitCode);
        Assert.Contains($"(usernstools backups --root {_root} lists them)", unknown.Stderr, StringComparison.Ordinal);
        foreach (var result in new[] { later, overridden, unknown })
        {
            AssertOneLine(result.Stderr);
            Assert.DoesNotContain("Restore-UsernsConfiguration", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Get-UsernsBackup", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("-Force", result.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(before, Tree());
    }

    [Fact]
    public void EnableWarnsInTheCommandLinesWords()
    {
        Proc("kernel.apparmor_restrict_unprivileged_userns", "1");
        Write("/sys/module/apparmor/parameters/enabled", "Y\n");

        var result = Cli.Run("enable", "--method", "sysctl", "--root", _root, "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--method apparmor exempts only the programs", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("-Method", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInterruptedChangeIsAdvisedInTheCommandLinesWords()
    {
        const string id = "20260101-000000-000-abcdef";
        Write(
            "/var/lib/usernstools/backups/" + id + ".json",
            $$"""{"formatVersion":1,"id":"{{id}}","createdAt":"2026-01-01T00:00:00+00:00","operation":"Set-UsernsSetting","state":"Incomplete","entries":[],"changes":[]}""");

        var blocked = Cli.Run("set", Max, "15000", "--root", _root);

        Assert.Equal(78, blocked.ExitCode);
        AssertOneLine(blocked.Stderr);
        Assert.Contains($"usernstools restore {id} --root {_root}, or use --force", blocked.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Cli.Run("restore", id, "--root", _root).ExitCode);
        Assert.Equal(0, Cli.Run("set", Max, "15000", "--root", _root).ExitCode);
    }

    [Fact]
    public void AnUnreadableRecordIsNamedAndTheAdvisedStepLetsTheNextRunGoOn()
    {
        var record = Full("/var/lib/usernstools/backups/20260101-000000-000-abcdef.json");
        Write("/var/lib/usernstools/backups/20260101-000000-000-abcdef.json", "{\"id\": ");

        var blocked = Cli.Run("set", Max, "15000", "--root", _root);

        Assert.Equal(65, blocked.ExitCode);
        AssertOneLine(blocked.Stderr);
        Assert.Contains($"'mv {record} {record}.unreadable'", blocked.Stderr, StringComparison.Ordinal);
        Assert.Contains("--force", blocked.Stderr, StringComparison.Ordinal);
        File.Move(record, record + ".unreadable");
        Assert.Equal(0, Cli.Run("set", Max, "15000", "--root", _root).ExitCode);
    }

    [KernelFact("setpriv", RequiresRoot = true)]
    public void AsNobodyWithoutAWritableRootItIsRefusedAndNothingIsWritten()
    {
        Proc(Max, "30000");
        var before = Tree();

        // A root nobody may read (a fresh temporary folder) and one it may read but not write.
        foreach (var mode in new[] { (UnixFileMode)0x1C0, (UnixFileMode)0x1ED })
        {
            File.SetUnixFileMode(_root, mode);
            foreach (var command in new[] { new[] { "set", Max, "15000" }, new[] { "enable", "--method", "sysctl" }, new[] { "disable" } })
            {
                var result = Cli.RunWrapped(s_nobody, null, command.Concat(new[] { "--root", _root }).ToArray());

                Assert.True(result.ExitCode == 77, $"{string.Join(' ', command)} with root mode {mode}: {result.ExitCode} {result.Stderr}");
                Assert.Contains("PermissionDenied", result.Stderr, StringComparison.Ordinal);

                // disable warns what would stop working before anything is asked or checked; the error is one line.
                AssertOneLine(string.Concat(result.Stderr.Split('\n').Where(l => !l.StartsWith("usernstools: warning:", StringComparison.Ordinal)).Select(l => l + "\n")));
            }
        }

        Assert.Equal(before, Tree());
        Assert.False(Directory.Exists(Full("/var/lib/usernstools")));
    }

    [KernelFact("setpriv", RequiresRoot = true)]
    public void AsNobodyWithRootsJournalItIsRefusedForWantOfRootNotForADamagedRecord()
    {
        // Root changed the machine: its journal record is 0600. Nobody may read the folders, not the record.
        Assert.Equal(0, Cli.Run("set", Max, "15000", "--root", _root).ExitCode);
        File.SetUnixFileMode(_root, (UnixFileMode)0x1ED);
        var before = Tree();

        foreach (var command in new[] { new[] { "set", Max, "16000" }, new[] { "set", Max, "16000", "--dry-run" }, new[] { "enable", "--dry-run" }, new[] { "backups" } })
        {
            var result = Cli.RunWrapped(s_nobody, null, command.Concat(new[] { "--root", _root }).ToArray());

            Assert.True(result.ExitCode == 77, $"{string.Join(' ', command)}: {result.ExitCode} {result.Stderr}");
            Assert.EndsWith("Run the command again with sudo. Nothing was changed. [PermissionDenied]\n", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(".unreadable", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("--force", result.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(before, Tree());
    }

    private List<string> Backups()
    {
        var result = Cli.Run("backups", "--root", _root, "--json");
        Assert.Equal(0, result.ExitCode);
        return JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray().Select(b => b.GetProperty("backupId").GetString()!).ToList();
    }

    private static void AssertOneLine(string stderr)
    {
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private string Full(string machinePath) => _root + machinePath;

    private void Write(string machinePath, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Full(machinePath))!);
        File.WriteAllText(Full(machinePath), content);
    }

    private void Proc(string name, string value) => Write("/proc/sys/" + name.Replace('.', '/'), value + "\n");

    private string ReadProc(string name) => File.ReadAllText(Full("/proc/sys/" + name.Replace('.', '/'))).Trim();

    /// <summary>Every file below the root outside the journal, with its bytes and mode.</summary>
    private SortedDictionary<string, string> Tree()
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            var machinePath = file[_root.Length..];
            if (!machinePath.StartsWith("/var/lib/usernstools", StringComparison.Ordinal))
            {
                tree[machinePath] = Convert.ToBase64String(File.ReadAllBytes(file)) + " " + File.GetUnixFileMode(file);
            }
        }

        return tree;
    }
}
