using System.Management.Automation.Language;
using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>Every PowerShell file of the repository parses with PowerShell's own parser, which really rejects broken files.</summary>
public sealed class PowerShellSyntaxCheckTests
{
    private static IReadOnlyList<ParseError> Parse(string text)
    {
        Parser.ParseInput(text, out _, out var errors);
        return errors;
    }

    [Theory]
    [InlineData("function Get-X {\n    param([string]$A)\n    if ($A) { 'x'\n}\n")]
    [InlineData("@{\n    A = 1\n    B = @(\n}\n")]
    public void ABrokenFileIsRejected(string text) => Assert.NotEmpty(Parse(text));

    [Fact]
    public void TheRepositorysPowerShellFilesParse()
    {
        var files = Directory.EnumerateFiles(RepositoryLayout.Root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".ps1", StringComparison.Ordinal) || f.EndsWith(".psd1", StringComparison.Ordinal))
            .Where(f => !f.Contains("/node_modules/", StringComparison.Ordinal) && !f.Contains("/out/", StringComparison.Ordinal)
                && !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .ToArray();
        Assert.Contains(files, f => f.EndsWith("/UsernsTools.psd1", StringComparison.Ordinal));
        var broken = files.SelectMany(f => Parse(File.ReadAllText(f)).Select(e => $"{f}:{e.Extent.StartLineNumber}: {e.Message}")).ToList();
        Assert.Empty(broken);
    }
}
