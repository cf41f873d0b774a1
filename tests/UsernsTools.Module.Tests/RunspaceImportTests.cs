using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>The built module folder imports into a real PowerShell engine and exports exactly its cmdlets.</summary>
public sealed class RunspaceImportTests : IDisposable
{
    private readonly ModuleRunspace _pwsh = new();

    public void Dispose() => _pwsh.Dispose();

    [Fact]
    public void ImportExportsEveryCmdletOfTheManifestAndNothingElse()
    {
        var exported = _pwsh.Run("(Get-Module UsernsTools).ExportedCommands.Keys | Sort-Object").Output.Select(o => o.ToString()).ToList();
        var declared = _pwsh.Run("(Import-PowerShellDataFile -LiteralPath $args[0]).CmdletsToExport | Sort-Object".Replace("$args[0]", $"'{RepositoryLayout.ManifestPath}'", StringComparison.Ordinal))
            .Output.Select(o => o.ToString()).ToList();
        Assert.Equal(14, declared.Count);
        Assert.Equal(declared, exported);
    }

    [Fact]
    public void ACmdletRunsAndWritesItsObject()
    {
        var (output, errors) = _pwsh.Run("Get-UsernsStatus -NoProbe");
        Assert.Empty(errors);
        var status = Assert.Single(output);
        Assert.Equal("UsernsTools.Diagnosis.UsernsStatus", status.BaseObject.GetType().FullName);
    }
}
