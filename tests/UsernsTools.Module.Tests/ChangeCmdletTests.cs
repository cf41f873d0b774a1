using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>
/// The changing cmdlets in a real engine, on a machine below a temporary root: what -WhatIf writes, which errors stop
/// the pipeline, and what Restore-UsernsConfiguration takes from its input.
/// </summary>
public sealed class ChangeCmdletTests : IDisposable
{
    private readonly ModuleRunspace _pwsh = new();
    private readonly string _root = Directory.CreateTempSubdirectory("usernstools-module-").FullName;

    public ChangeCmdletTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "proc/sys/user"));
        File.WriteAllText(Path.Combine(_root, "proc/sys/user/max_user_namespaces"), "0\n");
    }

    public void Dispose()
    {
        _pwsh.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private string Runtime => File.ReadAllText(Path.Combine(_root, "proc/sys/user/max_user_namespaces")).Trim();

    private (System.Collections.ObjectModel.Collection<System.Management.Automation.PSObject> Output, IReadOnlyList<System.Management.Automation.ErrorRecord> Errors) Run(string script) =>
        _pwsh.Run(script, new Dictionary<string, object?> { ["machine"] = _root });

    [Theory]
    [InlineData("Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -WhatIf")]
    [InlineData("Disable-UnprivilegedUserns -Root $machine -WhatIf -WarningAction SilentlyContinue")]
    [InlineData("Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false | Out-Null; Restore-UsernsConfiguration -Root $machine -WhatIf")]
    public void WhatIfWritesNoObjects(string script)
    {
        var (output, errors) = Run(script);

        Assert.Empty(errors);
        Assert.Empty(output);
    }

    [Fact]
    public void AnUnknownSettingIsOneErrorAndTheNextPipedItemIsSet()
    {
        var (output, errors) = Run(
            "[pscustomobject]@{ Setting = 'kernel.printk'; RecommendedValue = '1' }, [pscustomobject]@{ Setting = 'user.max_user_namespaces'; RecommendedValue = '7' } | "
            + "Set-UsernsSetting -Root $machine -Confirm:$false");

        var error = Assert.Single(errors);
        Assert.StartsWith("UnknownSetting,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.NotEmpty(output);
        Assert.Equal("7", Runtime);
    }

    [Fact]
    public void RecordsOfAChangeAlreadyInForceRestoreNothing()
    {
        var (output, errors) = Run(
            "Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false | Out-Null; "
            + "Set-UsernsSetting user.max_user_namespaces 15000 -Root $machine -Confirm:$false | Restore-UsernsConfiguration -Root $machine -Confirm:$false");

        Assert.Empty(output);
        var error = Assert.Single(errors);
        Assert.StartsWith("NoBackupIdInInput,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal("15000", Runtime);
    }

    [Fact]
    public void AFindingAboutNoSysctlIsSkippedWithoutAnError()
    {
        var (output, errors) = Run(
            "[pscustomobject]@{ Id = 'UnshareTooOld'; Setting = $null; RecommendedValue = '2.36' } | Set-UsernsSetting -Root $machine -Confirm:$false");

        Assert.Empty(errors);
        Assert.Empty(output);
        Assert.Equal("0", Runtime);
    }
}
