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
    [InlineData("status", "--bogus")]
    [InlineData("no-such-command")]
    [InlineData("status", "--timeout", "abc")]
    public void UsageErrorsExit64(params string[] args)
    {
        var result = Cli.Run(args);
        Assert.Equal(64, result.ExitCode);
        AssertOneLine(result.Stderr);
    }

    private static void AssertOneLine(string stderr)
    {
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
