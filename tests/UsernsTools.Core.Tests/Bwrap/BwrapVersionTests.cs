using FsCheck;
using FsCheck.Fluent;
using UsernsTools.Facts;
using UsernsTools.Probes.Bwrap;
using Xunit;

namespace UsernsTools.Tests.Bwrap;

public class BwrapVersionTests
{
    [Theory]
    [InlineData("bubblewrap 0.8.0\n", "0.8.0")]
    [InlineData("bubblewrap 0.11.2\n", "0.11.2")]
    [InlineData("bwrap: setuid use of bubblewrap is not supported in this build\n", null)]
    [InlineData("", null)]
    public void VersionIsReadFromTheVersionLine(string output, string? expected)
        => Assert.Equal(expected, ToolVersion.Parse(output));

    [Theory]
    [InlineData("0.8.0", true)]
    [InlineData("0.11.1", true)]
    [InlineData("0.11.2", false)]
    [InlineData("0.12.0", false)]
    [InlineData("0.12", false)]
    [InlineData("garbage", null)]
    public void SetuidSupportEndsWith0112(string version, bool? expected)
        => Assert.Equal(expected, BwrapInstallationReader.SupportsSetuid(version));

    [Fact]
    public void ParsingTheVersionLineGivesTheVersionBack()
    {
        var gen =
            from major in Gen.Choose(0, 99)
            from minor in Gen.Choose(0, 99)
            from patch in Gen.Choose(0, 99)
            select $"{major}.{minor}.{patch}";
        Prop.ForAll(Arb.From(gen), version => ToolVersion.Parse("bubblewrap " + version + "\n") == version).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ArbitraryOutputNeverThrows()
    {
        Prop.ForAll<string>(text =>
        {
            var version = ToolVersion.Parse(text);
            _ = BwrapInstallationReader.SupportsSetuid(version);
            _ = BwrapInstallationReader.SupportsSetuid(text);
            return true;
        }).QuickCheckThrowOnFailure();
    }
}
