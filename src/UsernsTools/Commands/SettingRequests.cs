using System.Management.Automation;
using UsernsTools.Configuration;

namespace UsernsTools.Module.Commands;

/// <summary>Turns Set-/Test-UsernsSetting parameters into the engine request, with the same error for a missing value.</summary>
internal static class SettingRequests
{
    /// <summary>The request, or null after writing a per-item error (a piped object without a value).</summary>
    public static SetSettingRequest? Build(PSCmdlet cmdlet, string name, string? value, ChangeScope scope, bool force)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            cmdlet.WriteError(new ErrorRecord(
                new ArgumentException($"No value for {name}: give -Value, or pipe in an object with a Value or RecommendedValue property."),
                "SettingValueRequired",
                ErrorCategory.InvalidArgument,
                name)
            {
                ErrorDetails = new ErrorDetails($"No value for {name}: give -Value, or pipe in an object with a Value or RecommendedValue property."),
            });
            return null;
        }

        return new SetSettingRequest(name, value) { Scope = scope, Force = force };
    }
}
