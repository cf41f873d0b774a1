using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using UsernsTools.Configuration;
using UsernsTools.Platform;

namespace UsernsTools.Module.Commands;

/// <summary>Completes journal record ids below the -Root already typed, newest first (the one most often undone).</summary>
public sealed class BackupIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        var typed = CompletionContext.Typed(wordToComplete);
        IReadOnlyList<UsernsBackup> backups;
        try
        {
            backups = Remediation.GetBackups(new ConfigurationContext { Root = CompletionContext.Root(fakeBoundParameters) });
        }
        catch (UsernsException)
        {
            // A journal that cannot be read offers nothing to complete; the cmdlet itself will say why.
            return Array.Empty<CompletionResult>();
        }

        return backups
            .Where(b => b.BackupId.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Reverse()
            .Select(b => new CompletionResult(
                CompletionContext.Quote(b.BackupId),
                b.BackupId,
                CompletionResultType.ParameterValue,
                string.Create(CultureInfo.InvariantCulture, $"{b.CreatedAt:yyyy-MM-dd HH:mm:ss} {b.Operation} ({b.State}): {string.Join(", ", b.Targets)}")))
            .ToList();
    }
}
