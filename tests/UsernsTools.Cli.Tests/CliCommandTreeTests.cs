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
