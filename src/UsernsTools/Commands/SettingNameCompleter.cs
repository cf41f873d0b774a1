using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using UsernsTools.Facts;

namespace UsernsTools.Module.Commands;

/// <summary>Completes the setting names the engine knows, so nobody has to remember the sysctl spelling.</summary>
public sealed class SettingNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        var typed = (wordToComplete ?? "").Trim('\'', '"');
        foreach (var name in SettingNames.All)
        {
            if (name.StartsWith(typed, StringComparison.OrdinalIgnoreCase)
                || name.Contains(typed, StringComparison.OrdinalIgnoreCase))
            {
                yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, name);
            }
        }
    }
}
