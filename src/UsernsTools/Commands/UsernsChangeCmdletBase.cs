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

    /// <summary>The context every engine call of this invocation uses; a root that does not exist stops the cmdlet.</summary>
    internal ConfigurationContext Context() => new() { Root = ResolveRoot(Root) };

    /// <summary>
    /// Runs one engine operation with ShouldProcess as its approval and writes what it did. With
    /// <paramref name="perItem"/> an engine error is about this item only (a bad name or value among piped ones):
    /// it is written and the cmdlet goes on with the next item; otherwise it stops the cmdlet.
    /// </summary>
    /// <returns>False when the engine refused (the error is written, or thrown unless <paramref name="perItem"/>).</returns>
    internal bool Apply(Func<ConfigurationContext, Func<PlannedChange, bool>, Action<string>, CancellationToken, Task<ApplyResult>> operation, bool perItem = false)
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
            result = RunEngine(token => operation(context, change => ShouldProcess(change.DisplayTarget, change.Action), Warn, token));
        }
        catch (UsernsException ex)
        {
            if (perItem)
            {
                WriteUsernsError(ex);
            }
            else
            {
                ThrowUsernsError(ex);
            }

            return false;
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

        WriteChanges(result.Changes);
        return true;
    }

    /// <summary>
    /// Writes the records of what was done. A declined change is no change: its what-if message or the answer to
    /// -Confirm was all there is to say. Under -WhatIf, as with every other cmdlet, only messages are written: what is
    /// already in force becomes verbose output and a step left to the administrator a warning.
    /// </summary>
    private void WriteChanges(IReadOnlyList<UsernsChange> changes)
    {
        var whatIf = WhatIfRequested();
        foreach (var change in changes)
        {
            if (change.Status == ChangeStatus.Declined)
            {
                continue;
            }

            if (!whatIf)
            {
                WriteObject(change);
            }
            else if (change.Status == ChangeStatus.RequiresManualAction)
            {
                WriteWarning(change.Description);
            }
            else
            {
                WriteVerbose(change.Description);
            }
        }
    }

    /// <summary>-WhatIf given, or $WhatIfPreference set and not overridden by -WhatIf:$false.</summary>
    protected bool WhatIfRequested()
    {
        if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value))
        {
            return value is SwitchParameter parameter ? parameter.IsPresent : LanguagePrimitives.IsTrue(value);
        }

        return LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
    }
}
