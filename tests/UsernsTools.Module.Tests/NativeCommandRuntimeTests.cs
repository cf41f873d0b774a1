using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>
/// Invoke-NamespacedProcess reaches the engine members pwsh's native command processor uses (stderr records that
/// leave $? alone, $? from the exit code, NativeCommandExitException). They are internal: if a pwsh release renames
/// one, the cmdlet falls back to public behaviour silently, so this test is what notices.
/// </summary>
public sealed class NativeCommandRuntimeTests : IDisposable
{
    private readonly ModuleRunspace _pwsh = new();

    public void Dispose() => _pwsh.Dispose();

    [Fact]
    public void EveryEngineMemberIsFoundInThePinnedPwsh()
    {
        var (output, errors) = _pwsh.Run(
            "$type = (Get-Command Invoke-NamespacedProcess).ImplementingType.Assembly.GetType('UsernsTools.Module.Commands.NativeCommandRuntime', $true); "
            + "$type.GetProperty('IsComplete').GetValue($null)");
        Assert.Empty(errors);
        Assert.Equal(true, Assert.Single(output).BaseObject);
    }
}
