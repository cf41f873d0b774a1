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
            // sysctl's own spelling, name=value, given as the name.
            var split = name.Split('=', 2, StringSplitOptions.TrimEntries);
            var message = split.Length == 2 && split[0].Length > 0 && split[1].Length > 0
                ? $"No value for {name}: the name holds one, as sysctl writes it; give the name and the value apart: {cmdlet.MyInvocation.MyCommand.Name} {split[0]} {split[1]}."
                : $"No value for {name}: give -Value, or pipe in an object with a Value or RecommendedValue property.";
            cmdlet.WriteError(new ErrorRecord(new ArgumentException(message), "SettingValueRequired", ErrorCategory.InvalidArgument, name)
            {
                ErrorDetails = new ErrorDetails(message),
            });
            return null;
        }

        return new SetSettingRequest(name, value) { Scope = scope, Force = force };
    }
}
