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
    /// <summary>The sysctl name, e.g. user.max_user_namespaces (a finding's Setting binds here from the pipeline).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Setting")]
    [ArgumentCompleter(typeof(WritableSettingNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

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
        var request = SettingRequests.Build(this, Name, Value, Scope, Force.IsPresent);
        if (request is null)
        {
            return;
        }

        Apply((context, approve, warn, token) => Remediation.SetSettingAsync(request, context, approve, warn, token));
    }
}
