using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>What Tab offers, asked through TabExpansion2 in a real runspace with the built module imported.</summary>
public sealed class CompletionRunspaceTests : IDisposable
{
    private readonly ModuleRunspace _shell = new();
    private readonly string _machine = Path.Combine(Path.GetTempPath(), $"usernstools-completion-{Guid.NewGuid():n}");

    public CompletionRunspaceTests()
    {
        Directory.CreateDirectory(Path.Combine(_machine, "etc"));
        File.WriteAllText(Path.Combine(_machine, "etc", "passwd"), "root:x:0:0::/root:/bin/sh\ncarol:x:1200:1200::/home/carol:/bin/sh\n");
    }

    public void Dispose()
    {
        _shell.Dispose();
        Directory.Delete(_machine, recursive: true);
    }

    private List<string> Complete(string line) =>
        _shell.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText", new Dictionary<string, object?> { ["line"] = line })
            .Output.Select(o => o.ToString()).ToList();

    [Theory]
    [InlineData("Set-UsernsSetting -Name user.max_user_namespaces -Scope ")]
    [InlineData("Test-UsernsSetting -Name user.max_user_namespaces -Scope ")]
    public void ScopeOffersNoNone(string line) => Assert.Equal(new[] { "Persistent", "Runtime" }, Complete(line));

    [Fact]
    public void NamespaceOffersNoNone()
    {
        var offered = Complete("Invoke-NamespacedProcess -FilePath true -Namespace ");
        Assert.Contains("User", offered);
        Assert.DoesNotContain("None", offered);
    }

    [Theory]
    [InlineData("Get-UsernsSetting -Name user_namespace", true)]
    [InlineData("Set-UsernsSetting -Name user_namespace", false)]
    [InlineData("Test-UsernsSetting -Name user_namespace", false)]
    public void SettingNamesAreWhatTheCmdletAccepts(string line, bool bootSwitchOffered)
    {
        Assert.Equal(bootSwitchOffered, Complete(line).Contains("user_namespace.enable"));
    }

    [Fact]
    public void UserCompletesTheAccountsBelowRoot()
    {
        Assert.Equal(new[] { "carol" }, Complete($"Get-SubordinateIdRange -Root '{_machine}' -User c"));
    }

    [Fact]
    public void FilePathCompletesCommandsOnPath()
    {
        Assert.Contains("unshare", Complete("Invoke-NamespacedProcess -FilePath unsha"));
    }
}
