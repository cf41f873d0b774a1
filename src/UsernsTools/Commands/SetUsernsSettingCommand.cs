using System.Management.Automation;
using UsernsTools.Configuration;
using UsernsTools.Facts;

namespace UsernsTools.Module.Commands;

/// <summary>
/// Sets one user-namespace sysctl in the running kernel and/or in UsernsTools' drop-in under /etc/sysctl.d,
/// journaled so Restore-UsernsConfiguration can undo it. A value already in force writes nothing.
/// </summary>
[Cmdlet(VerbsCommon.Set, "UsernsSetting", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(UsernsChange))]
public sealed class SetUsernsSettingCommand : UsernsChangeCmdletBase
{
    /// <summary>
    /// The sysctl name, e.g. user.max_user_namespaces (a finding's Setting binds here from the pipeline). Null is
    /// allowed so that a finding about no sysctl (UnshareTooOld, SubordinateIdsMissing) reaches the cmdlet and is
    /// skipped, instead of failing to bind.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Setting")]
    [ArgumentCompleter(typeof(WritableSettingNameCompleter))]
    [AllowNull]
    [AllowEmptyString]
    public string? Name { get; set; }

    /// <summary>
    /// The value to set (a finding's RecommendedValue binds here from the pipeline). Not mandatory for the binder so
    /// that a UsernsSetting can be piped in with -Value given once on the command line; missing, it is an error.
    /// </summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("RecommendedValue")]
    public string? Value { get; set; }

    /// <summary>Runtime (the running kernel), Persistent (the drop-in applied at boot), or both (the default).</summary>
    [Parameter]
    [ValidateRange(ChangeScope.Runtime, ChangeScope.Runtime | ChangeScope.Persistent)] // None is refused here, so Tab never offers it
    public ChangeScope Scope { get; set; } = ChangeScope.Runtime | ChangeScope.Persistent;

    protected override void ProcessRecord()
    {
        if (string.IsNullOrWhiteSpace(Name) && MyInvocation.ExpectingInput)
        {
            // (Get-UsernsStatus).Findings | Where-Object RecommendedValue | Set-UsernsSetting: a finding fixed by something
            // other than a sysctl (a newer util-linux, subordinate ids) has nothing to set here; the others go on.
            WriteVerbose($"Skipped an input object without a Setting (RecommendedValue '{Value}'): it is not about a sysctl, "
                + "so there is nothing to set. Its Remediation says how to fix it.");
            return;
        }

        var request = SettingRequests.Build(this, Name ?? "", Value, Scope, Force.IsPresent);
        if (request is null)
        {
            return;
        }

        // Each item is its own change: a bad name or value, or a file that would still win at boot, is about this item.
        Apply((context, approve, warn, token) => Remediation.SetSettingAsync(request, context, approve, warn, token), perItem: true);
    }
}
