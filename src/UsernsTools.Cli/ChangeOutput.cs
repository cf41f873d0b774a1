using UsernsTools.Configuration;
using UsernsTools.Display;
using UsernsTools.Platform;
using UsernsTools.Serialization;

namespace UsernsTools.Cli;

/// <summary>How the commands that change the machine report: a dry run's plan, the changes made, warnings and notes.</summary>
internal static class ChangeOutput
{
    /// <summary>The context of a command: the root made absolute, advice in the command line's words, everything else as in production.</summary>
    public static ConfigurationContext Context(string root)
    {
        var full = Path.GetFullPath(root);
        return new() { Root = full, Words = FrontEndWords.ForCli(full) };
    }

    /// <summary>
    /// The approval callback: a dry run prints each planned change and declines it, so the engine writes nothing;
    /// otherwise everything planned is approved (the command line was the approval).
    /// </summary>
    public static Func<PlannedChange, bool>? Approval(bool dryRun, TextWriter stdout, bool json)
    {
        if (!dryRun)
        {
            return null;
        }

        return change =>
        {
            if (!json)
            {
                stdout.WriteLine($"would: {change.Action} ({change.DisplayTarget})");
            }

            return false;
        };
    }

    /// <summary>Warnings go to stderr, prefixed, so stdout stays the result.</summary>
    public static Action<string> Warn(TextWriter stderr) => text => stderr.WriteLine("usernstools: warning: " + (TerminalText.Escape(text) ?? ""));

    /// <summary>
    /// Writes what a change did; the command that undoes it is named in <paramref name="words"/>, with the root the change
    /// was made below (without it, the command as printed would undo a change on this machine instead).
    /// </summary>
    public static int Write(TextWriter stdout, ApplyResult result, bool dryRun, bool json, FrontEndWords words)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (json)
        {
            Output.WriteJson(stdout, result.Changes, UsernsJsonContext.Default.IReadOnlyListUsernsChange);
            return ExitCodes.Success;
        }

        foreach (var note in result.Notes)
        {
            stdout.WriteLine("note: " + note);
        }

        if (dryRun)
        {
            var planned = result.Changes.Count(c => c.Status == ChangeStatus.Declined);
            stdout.WriteLine(planned == 0 ? "dry run: nothing to change." : $"dry run: {planned} change(s) planned, nothing written.");
            return ExitCodes.Success;
        }

        foreach (var change in result.Changes)
        {
            stdout.WriteLine($"{change.Status,-22} {Describe(change)}");
        }

        if (!result.Changed)
        {
            stdout.WriteLine("Nothing to change: everything asked for is already in force; nothing was written.");
        }
        else if (result.BackupId is not null)
        {
            stdout.WriteLine($"Backup: {result.BackupId} ('{words.Restore(result.BackupId)}' undoes it)");
        }

        return ExitCodes.Success;
    }

    private static string Describe(UsernsChange change)
    {
        var values = change.Status == ChangeStatus.Applied && change.Kind is ChangeKind.RuntimeSetting or ChangeKind.SysctlDropIn && (change.Before?.Length ?? 0) <= 20 && (change.After?.Length ?? 0) <= 20
            ? $" [{change.Before ?? "(none)"} -> {change.After ?? "(none)"}]"
            : "";
        return change.Description + values;
    }
}
