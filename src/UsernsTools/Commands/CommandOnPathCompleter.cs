using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using UsernsTools.Platform;

namespace UsernsTools.Module.Commands;

/// <summary>
/// Completes a program name with the commands on PATH, as the sandbox will find them. A word with a slash (or ~ or .)
/// is a path, completed as a file name.
/// </summary>
public sealed class CommandOnPathCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        var typed = CompletionContext.Typed(wordToComplete);
        if (typed.Contains('/', StringComparison.Ordinal) || typed.StartsWith('~') || typed.StartsWith('.'))
        {
            return CompletionCompleters.CompleteFilename(wordToComplete ?? "");
        }

        return PathLookup.ListCommands(typed, Environment.GetEnvironmentVariable("PATH"))
            .Select(c => new CompletionResult(CompletionContext.Quote(c.Name), c.Name, CompletionResultType.ParameterValue, c.Path))
            .ToList();
    }
}
