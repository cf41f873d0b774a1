using Xunit;

namespace UsernsTools.Tests.Cli;

/// <summary>
/// A command line that starts with a command's name is parsed with that command alone below the root: each name must
/// still reach its own command, with its own options, and the root's help must still list every command.
/// </summary>
public class CliCommandTreeTests
{
    public static TheoryData<string, string> Commands => new()
    {
        { "status", "--no-probe" },
        { "settings", "--root" },
        { "test-userns", "--user" },
        { "subids", "--root" },
        { "test-bwrap", "--bwrap" },
        { "denials", "--since" },
        { "set", "--scope" },
        { "enable", "--method" },
        { "disable", "--dry-run" },
        { "backups", "--root" },
        { "restore", "--dry-run" },
        { "dsc", "export" },
        { "run", "--map-root" },
        { "ns", "--json" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void EachCommandNameReachesItsOwnCommand(string name, string option)
    {
        var result = Cli.Run(name, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("usernstools " + name + " ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// Help is asked for in many spellings, anywhere on the line, alone or in a group of short options, or from a response
    /// file: each still reaches the command's help (the root adds --help and --version only for a line that may use them).
    /// </summary>
    [Theory]
    [InlineData("status", "--json", "-h")]
    [InlineData("status", "-?", "--json")]
    [InlineData("status", "/h")]
    [InlineData("status", "/?")]
    [InlineData("-h", "status")]
    [InlineData("status", "--help", "--no-probe")]
    public void EverySpellingOfHelpShowsTheCommandsHelp(params string[] args)
    {
        var result = Cli.Run(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("usernstools status ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--no-probe", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AResponseFileMayAskForHelp()
    {
        var file = Path.Combine(Path.GetTempPath(), "usernstools-args-" + Guid.NewGuid().ToString("N"));
        File.WriteAllLines(file, new[] { "status", "--help" });
        try
        {
            var result = Cli.Run("@" + file);

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("usernstools status ", result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>--version belongs to the root alone, as before: after a command it is an error, not the version.</summary>
    [Fact]
    public void VersionAfterACommandIsAnError()
    {
        var result = Cli.Run("status", "--version");

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("--version", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void RootHelpListsEveryCommand()
    {
        var result = Cli.Run("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var name in Commands.Select(row => (string)row[0]))
        {
            Assert.Contains("  " + name + " ", result.Stdout, StringComparison.Ordinal);
        }
    }
}
