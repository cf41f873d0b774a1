using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>The help as a user reads it: Get-Help in a real runspace with the built module imported.</summary>
public sealed class HelpRunspaceTests : IDisposable
{
    private readonly ModuleRunspace _shell = new();

    public void Dispose() => _shell.Dispose();

    public static TheoryData<string> ShouldProcessCmdlets() => new()
    {
        "Set-UsernsSetting",
        "Enable-UnprivilegedUserns",
        "Disable-UnprivilegedUserns",
        "Restore-UsernsConfiguration",
        "Invoke-NamespacedProcess",
    };

    [Theory]
    [MemberData(nameof(ShouldProcessCmdlets))]
    public void FullHelpShowsWhatIfAndConfirm(string name)
    {
        // Each syntax line ends with -WhatIf and -Confirm, as Get-Command shows it (read from the help object: the
        // rendered text wraps at the host's width).
        var endings = _shell.Run($"(Get-Help {name} -Full).syntax.syntaxItem | ForEach-Object {{ ($_.parameter.name | Select-Object -Last 2) -join ' ' }}").Output
            .Select(o => o.ToString()).ToList();
        Assert.NotEmpty(endings);
        Assert.All(endings, e => Assert.Equal("WhatIf Confirm", e));
        var text = _shell.Text($"Get-Help {name} -Full | Out-String");
        var parameters = text[text.IndexOf("PARAMETERS", StringComparison.Ordinal)..];
        Assert.Contains("\n    -WhatIf", parameters, StringComparison.Ordinal);
        Assert.Contains("\n    -Confirm", parameters, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Get-UsernsSetting", "Name", "true")]
    [InlineData("Get-UsernsDenial", "Path", "true")]
    [InlineData("Get-UsernsDenial", "LiteralPath", "false")]
    public void HelpSaysWhereWildcardsAreAccepted(string name, string parameter, string expected)
    {
        Assert.Equal(expected, _shell.Text($"(Get-Help {name} -Parameter {parameter}).globbing"));
    }

    [Fact]
    public void ModuleHasAHelpInfoUri()
    {
        Assert.StartsWith("https://", _shell.Text("(Get-Module UsernsTools).HelpInfoUri"), StringComparison.Ordinal);
    }
}
