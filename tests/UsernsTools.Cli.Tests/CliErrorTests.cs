using Xunit;

namespace UsernsTools.Tests.Cli;

/// <summary>Bad input gives one line on stderr and a documented exit code, never a stack trace.</summary>
public class CliErrorTests
{
    [Fact]
    public void UnknownUserIsAClearError()
    {
        var result = Cli.Run("status", "--user", "no-such-user-xyz");
        Assert.Equal(67, result.ExitCode);
        Assert.Contains("no-such-user-xyz", result.Stderr, StringComparison.Ordinal);
        AssertOneLine(result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void CorruptReportIsAClearError()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "{\"schemaVersion\": 1, \"facts\": {\"subject\": ");
            var result = Cli.Run("status", "--from", file);
            Assert.Equal(65, result.ExitCode);
            Assert.Contains(file, result.Stderr, StringComparison.Ordinal);
            AssertOneLine(result.Stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ReportWithoutFactsIsAClearError()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "{\"verdict\": \"Available\"}");
            var result = Cli.Run("status", "--from", file);
            Assert.Equal(65, result.ExitCode);
            Assert.Contains("ReportMissingFacts", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void MissingReportFileIsAClearError()
    {
        var result = Cli.Run("status", "--from", "/nonexistent/report.json");
        Assert.Equal(66, result.ExitCode);
        AssertOneLine(result.Stderr);
    }

    [Theory]
    [InlineData(new[] { "status", "--from" }, "usernstools: Required argument missing for option: '--from'.")]
    [InlineData(new[] { "status", "--json", "--from" }, "usernstools: Required argument missing for option: '--from'.")]
    [InlineData(new[] { "status", "--from", "" }, "usernstools: No report file was given: the path is empty. [ReportPathEmpty]")]
    [InlineData(new[] { "status", "--from", " " }, "usernstools: No report file was given: the path is empty. [ReportPathEmpty]")]
    public void AReportOptionWithoutAPathIsAUsageErrorOfOneLine(string[] args, string line)
    {
        // The first two ended in an unhandled exception and exit 134; the others in "internal error" and exit 70.
        var result = Cli.Run(args);

        Assert.Equal(64, result.ExitCode);
        AssertOneLine(result.Stderr);
        Assert.StartsWith(line, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void APathTooLongToOpenIsSaidInWords()
    {
        var path = "/tmp/" + new string('a', 5000);

        var result = Cli.Run("status", "--from", path);

        Assert.Equal(64, result.ExitCode);
        AssertOneLine(result.Stderr);
        Assert.EndsWith("cannot be read: the path is too long. [ReportNotReadable]\n", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectoryIsNotAReport()
    {
        var result = Cli.Run("status", "--from", Path.GetTempPath());
        Assert.Equal(66, result.ExitCode);
        Assert.Contains("is a directory", result.Stderr, StringComparison.Ordinal);
        AssertOneLine(result.Stderr);
    }

    [Fact]
    public void EndlessReportIsRefusedAtTheSizeLimit()
    {
        var result = Cli.Run("status", "--from", "/dev/zero");
        Assert.Equal(65, result.ExitCode);
        Assert.Contains("larger than 16 MiB", result.Stderr, StringComparison.Ordinal);
        AssertOneLine(result.Stderr);
    }

    [Theory]
    [InlineData("{\"schemaVersion\": 1, \"facts\": {\"subject\": {\"user\": \"a\"}, \"kernel\": null}, \"probes\": [null]}", "probes[0]: expected an object, not null")]
    [InlineData("{\"schemaVersion\": 0, \"facts\": {\"subject\": {\"user\": \"a\"}}}", "schema version 0")]
    [InlineData("{\"schemaVersion\": 1, \"facts\": {\"subject\": {\"user\": \"a\"}, \"process\": {\"seccomp\": \"2\"}}}", "facts.process.seccomp: expected a number")]
    public void BadReportIsDataErrorInTextAndJson(string json, string message)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, json);
            foreach (var args in new[] { new[] { "status", "--from", file }, new[] { "status", "--json", "--from", file } })
            {
                var result = Cli.Run(args);
                Assert.Equal(65, result.ExitCode);
                Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
                AssertOneLine(result.Stderr);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void NullSectionsAreDiagnosedWithoutThem()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "{\"schemaVersion\": 1, \"facts\": {\"subject\": {\"user\": \"a\"}, \"kernel\": null, \"process\": null},"
                + " \"probes\": [{\"name\": \"CreateUserNamespace\", \"command\": null}], \"notes\": null}");
            var result = Cli.Run("status", "--from", file);
            Assert.True(result.ExitCode is 0 or 1 or 2, result.Stderr);
            Assert.Equal("", result.Stderr);
            Assert.StartsWith("Verdict: ", result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("status", "--bogus")]
    [InlineData("no-such-command")]
    [InlineData("status", "--timeout", "abc")]
    public void UsageErrorsExit64(params string[] args)
    {
        var result = Cli.Run(args);
        Assert.Equal(64, result.ExitCode);
        AssertOneLine(result.Stderr);
    }

    [Theory]
    [InlineData("set", "user.max_user_namespaces", "5")]
    [InlineData("backups")]
    [InlineData("settings")]
    public void AnEmptyRootIsAUsageError(params string[] command)
    {
        var result = Cli.Run(command.Concat(new[] { "--root", "" }).ToArray());

        Assert.Equal(64, result.ExitCode);
        AssertOneLine(result.Stderr);
        Assert.Contains("--root is empty", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Argument_", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set", "user.max_user_namespaces", "5")]
    [InlineData("set", "user.max_user_namespaces", "5", "--scope", "persistent")]
    [InlineData("restore")]
    public void ARegularFileAsRootIsNotADirectory(params string[] command)
    {
        var file = Path.GetTempFileName();
        try
        {
            var result = Cli.Run(command.Concat(new[] { "--root", file }).ToArray());

            Assert.Equal(64, result.ExitCode);
            AssertOneLine(result.Stderr);
            Assert.Contains($"--root '{file}' is not a directory", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("sudo", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ACorruptGzipLogIsADataError()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x03, 0xff, 0xff, 0xff, 0xff, 0x12, 0x34 });

            var result = Cli.Run("denials", "--path", file);

            Assert.Equal(65, result.ExitCode);
            AssertOneLine(result.Stderr);
            Assert.Contains(file, result.Stderr, StringComparison.Ordinal);
            Assert.Contains("corrupt", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("internal error", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void AMissingLogFileIsOneLine()
    {
        var result = Cli.Run("denials", "--path", "/nonexistent/kern.log");

        Assert.Equal(66, result.ExitCode);
        AssertOneLine(result.Stderr);
        Assert.Contains("/nonexistent/kern.log", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set", "user.max\nforged: line", "1")]
    [InlineData("set", "user.max\u001b[2J\u0007", "1")]
    [InlineData("restore", "id\u001b]0;title\u0007")]
    public void ControlCharactersInInputGiveOneVisibleLine(params string[] command)
    {
        var root = Directory.CreateTempSubdirectory("usernstools-cli-err-").FullName;
        try
        {
            var args = command.Select(a => System.Text.RegularExpressions.Regex.Unescape(a)).Concat(new[] { "--root", root }).ToArray();

            var result = Cli.Run(args);

            Assert.Equal(64, result.ExitCode);
            AssertOneLine(result.Stderr);
            Assert.DoesNotContain(result.Stderr.TrimEnd('\n'), c => char.IsControl(c));
            Assert.DoesNotContain("Get-UsernsBackup", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "statu" }, "usernstools: 'statu' is not a usernstools command; did you mean 'status'? (see 'usernstools --help')")]
    [InlineData(new[] { "frobnicate" }, "usernstools: 'frobnicate' is not a usernstools command. (see 'usernstools --help')")]
    [InlineData(new[] { "status", "--jsn" }, "usernstools: usernstools status has no option '--jsn'; did you mean '--json'? (see 'usernstools status --help')")]
    [InlineData(new[] { "status", "extra" }, "usernstools: usernstools status does not take 'extra'. (see 'usernstools status --help')")]
    [InlineData(new[] { "status", "--timeout", "abc" }, "usernstools: --timeout takes a number, not 'abc'. (see 'usernstools status --help')")]
    [InlineData(new[] { "run", "--map-user", "x", "--", "true" }, "usernstools: --map-user takes a whole number, not 'x'. (see 'usernstools run --help')")]
    [InlineData(new[] { "ns", "abc" }, "usernstools: PID takes a whole number, not 'abc'. (see 'usernstools ns --help')")]
    [InlineData(new[] { "ns", "0" }, "usernstools: 0 is not a process id: process ids start at 1. [InvalidProcessId]")]
    [InlineData(new[] { "test-bwrap", "--bwrap", "" }, "usernstools: --bwrap is empty: give the path of a bwrap, or leave --bwrap out for the first one on PATH. (see 'usernstools test-bwrap --help')")]
    [InlineData(new[] { "run", "--workdir", "", "--", "true" }, "usernstools: --workdir is empty: give the directory to start in, or leave --workdir out for the current one. (see 'usernstools run --help')")]
    [InlineData(new[] { "enable", "--program", "", "--dry-run" }, "usernstools: --program is empty: give the path of the program to exempt. (see 'usernstools enable --help')")]
    [InlineData(new[] { "set", "user.max_user_namespaces", "5", "--root=", "--dry-run" }, "usernstools: --root has no value: '--dry-run' after it is an option of usernstools set, not a value. (see 'usernstools set --help')")]
    [InlineData(new[] { "enable", "--program=", "--dry-run" }, "usernstools: --program has no value: '--dry-run' after it is an option of usernstools enable, not a value. (see 'usernstools enable --help')")]
    public void AMistypedCommandLineNamesTheWordAndTheHelpOfItsCommand(string[] args, string expected)
    {
        // It said "Required command was not provided" for a misspelt command, named the .NET type a value did not
        // convert to ('System.Nullable`1[System.Int64]'), and always pointed to the top-level help. An empty path was an
        // internal error (exit 70), and '--root= --dry-run' took '--dry-run' as the root, so the change was made for real.
        var result = Cli.Run(args);
        Assert.Equal(64, result.ExitCode);
        Assert.Equal(expected, result.Stderr.TrimEnd('\n'));
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void AMistypedDscCommandIsOneJsonErrorLine()
    {
        var result = Cli.Run("dsc", "gt");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'gt' is not a usernstools dsc command; did you mean 'get'?", result.Stderr, StringComparison.Ordinal);
        AssertOneLine(result.Stderr);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("test-userns")]
    [InlineData("test-bwrap")]
    [InlineData("subids")]
    public void AnEmptyUserIsRefusedRatherThanReadAsTheDefault(string command)
    {
        // '--user "$USER_TO_CHECK"' with the variable unset diagnosed nobody (or listed every user's ranges) without a word.
        foreach (var user in new[] { "", "  " })
        {
            var result = Cli.Run(command, "--user", user);
            Assert.True(result.ExitCode == 64, result.Stdout + result.Stderr);
            Assert.Contains("[EmptyUserName]", result.Stderr, StringComparison.Ordinal);
            AssertOneLine(result.Stderr);
            Assert.Equal("", result.Stdout);
        }
    }

    [Fact]
    public void SubidsWarnsAboutALineNoRangeComesFromAndListsTheRest()
    {
        var root = Directory.CreateTempSubdirectory("usernstools-cli-subids-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "etc"));
            File.WriteAllText(Path.Combine(root, "etc/passwd"), "alice:x:1000:1000::/home/alice:/bin/sh\n");
            File.WriteAllText(Path.Combine(root, "etc/subuid"), "alice:100000:65536\nalice 200000 65536\n");
            File.WriteAllText(Path.Combine(root, "etc/subgid"), "alice:100000:65536\n");

            var result = Cli.Run("subids", "--root", root, "--json");

            Assert.Equal(0, result.ExitCode);
            Assert.Equal("usernstools: warning: /etc/subuid:2: 'alice 200000 65536' is not NAME:START:COUNT; newuidmap and newgidmap get no range from it.\n", result.Stderr);
            using var json = System.Text.Json.JsonDocument.Parse(result.Stdout);
            Assert.Equal(2, json.RootElement.GetArrayLength());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void AssertOneLine(string stderr)
    {
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
