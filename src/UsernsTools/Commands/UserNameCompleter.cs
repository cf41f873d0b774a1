using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using UsernsTools.Platform;

namespace UsernsTools.Module.Commands;

/// <summary>Completes -User with the local accounts of /etc/passwd, below the -Root already typed where the cmdlet has one.</summary>
public sealed class UserNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        var typed = CompletionContext.Typed(wordToComplete);
        var root = CompletionContext.Root(fakeBoundParameters);
        return PasswdFile.ReadAll(root)
            .Where(e => e.Name.StartsWith(typed, StringComparison.Ordinal))
            .DistinctBy(e => e.Name, StringComparer.Ordinal)
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => new CompletionResult(
                CompletionContext.Quote(e.Name),
                e.Name,
                CompletionResultType.ParameterValue,
                string.Create(CultureInfo.InvariantCulture, $"{e.Name} (uid {e.Uid}, gid {e.Gid})")))
            .ToList();
    }
}
