using System.Management.Automation;
using UsernsTools.Configuration;
using UsernsTools.Platform;

namespace UsernsTools.Module.Commands;

/// <summary>
/// What the cmdlets that change the machine share: -Root and -Force, approval of each planned change through
/// ShouldProcess (so -WhatIf and -Confirm work per change), warnings before any question, notes as verbose
/// output, and the UsernsChange records as output.
/// </summary>
public abstract class UsernsChangeCmdletBase : UsernsCmdletBase
{
    /// <summary>File-system root of the machine to change (default /): a mounted image, a container's root, a test folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Root { get; set; } = "/";

    /// <summary>Go ahead although a check would stop (another file still wins at boot, an interrupted change is pending).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The context every engine call of this invocation uses.</summary>
    internal ConfigurationContext Context()
    {
        var root = ResolveFileSystemPath(Root, nameof(Root));
        return new ConfigurationContext { Root = root };
    }

    /// <summary>Runs one engine operation with ShouldProcess as its approval and writes what it did.</summary>
    internal void Apply(Func<ConfigurationContext, Func<PlannedChange, bool>, Action<string>, CancellationToken, Task<ApplyResult>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var context = Context();
        var warned = new HashSet<string>(StringComparer.Ordinal);
        void Warn(string text)
        {
            if (warned.Add(text))
            {
                WriteWarning(text);
            }
        }

        ApplyResult result;
        try
        {
            result = RunEngine(token => operation(context, change => ShouldProcess(change.Target, change.Action), Warn, token));
        }
        catch (UsernsException ex)
        {
            ThrowUsernsError(ex);
            return;
        }

        foreach (var warning in result.Warnings)
        {
            Warn(warning);
        }

        foreach (var note in result.Notes)
        {
            WriteVerbose(note);
        }

        if (result.Changes.Count > 0 && result.Changes.All(c => c.Status == ChangeStatus.AlreadyInDesiredState))
        {
            WriteVerbose("Everything asked for is already in force; nothing was written.");
        }

        if (result.BackupId is not null)
        {
            WriteVerbose($"Journal record {result.BackupId}: Restore-UsernsConfiguration -BackupId {result.BackupId} undoes this.");
        }

        WriteObject(result.Changes, enumerateCollection: true);
    }
}
