using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using UsernsTools.Facts;

namespace UsernsTools.Module.Commands;

/// <summary>Completes every setting name the engine reads, so nobody has to remember the sysctl spelling.</summary>
public sealed class SettingNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters) => Complete(SettingNames.All, wordToComplete);

    /// <summary>The names that start with, or else contain, what was typed.</summary>
    internal static IEnumerable<CompletionResult> Complete(IEnumerable<string> names, string? wordToComplete)
    {
        var typed = CompletionContext.Typed(wordToComplete);
        return names
            .Where(n => n.Contains(typed, StringComparison.OrdinalIgnoreCase))
            .OrderBy(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
            .ToList();
    }
}
