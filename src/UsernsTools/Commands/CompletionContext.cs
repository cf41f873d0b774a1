using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace UsernsTools.Module.Commands;

/// <summary>What the argument completers share: the word typed without its quotes, and the -Root already typed.</summary>
internal static class CompletionContext
{
    /// <summary>The word being completed, without the quotes the user may have opened.</summary>
    public static string Typed(string? wordToComplete) => (wordToComplete ?? "").Trim('\'', '"');

    /// <summary>
    /// The file-system root the command line names with -Root, resolved as the cmdlet will resolve it (relative to the
    /// current location, ~ and PSDrives allowed); / when none is typed or it cannot be resolved.
    /// </summary>
    public static string Root(IDictionary? fakeBoundParameters)
    {
        if (fakeBoundParameters is null || !fakeBoundParameters.Contains("Root"))
        {
            return "/";
        }

        var typed = LanguagePrimitives.ConvertTo<string>(fakeBoundParameters["Root"]);
        if (string.IsNullOrWhiteSpace(typed))
        {
            return "/";
        }

        try
        {
            // Completers run on the pipeline thread of the runspace that asked: a nested pipeline there sees its
            // current location and drives.
            using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            shell.AddScript("param($path) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($path)").AddArgument(typed);
            var resolved = shell.Invoke();
            return resolved.Count == 1 && resolved[0]?.BaseObject is string path && !shell.HadErrors ? path : "/";
        }
        catch (Exception ex) when (ex is RuntimeException or PSInvalidOperationException)
        {
            return "/";
        }
    }

    /// <summary>A value as the command line needs it: quoted when it holds a character PowerShell would parse.</summary>
    public static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/' or '+' or ':')
            ? value
            : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
