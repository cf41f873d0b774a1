using System.Text.RegularExpressions;
using Xunit;

namespace UsernsTools.Tests.Cli;

public class CliVersionTests
{
    [Fact]
    public void VersionIsTheModuleManifestsVersion()
    {
        var manifest = File.ReadAllText(Path.Combine(Prerequisites.RepoRoot, "UsernsTools.psd1"));
        var expected = Regex.Match(manifest, @"ModuleVersion\s*=\s*'(\d+\.\d+\.\d+)'").Groups[1].Value;
        Assert.NotEqual("", expected);

        var result = Cli.Run("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith(expected, result.Stdout.Trim(), StringComparison.Ordinal);
    }
}
