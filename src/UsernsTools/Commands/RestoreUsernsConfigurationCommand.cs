using System.Management.Automation;
using UsernsTools.Configuration;

namespace UsernsTools.Module.Commands;

/// <summary>
/// Puts back exactly what a journal record replaced (bytes, mode, owner, runtime values; files it created are
/// removed). Without -BackupId, the newest change not yet undone.
/// </summary>
[Cmdlet(VerbsData.Restore, "UsernsConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(UsernsChange))]
public sealed class RestoreUsernsConfigurationCommand : UsernsChangeCmdletBase
{
    private readonly List<string> _ids = new();

    /// <summary>The journal record to undo; binds BackupId of a UsernsBackup or a UsernsChange piped in.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(BackupIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? BackupId { get; set; }

    protected override void ProcessRecord()
    {
        // Several changes of one run carry the same id: undo each record once.
        if (BackupId is not null && !_ids.Contains(BackupId, StringComparer.Ordinal))
        {
            _ids.Add(BackupId);
        }
    }

    protected override void EndProcessing()
    {
        if (_ids.Count == 0)
        {
            Apply((context, approve, warn, token) => Remediation.RestoreAsync(new RestoreRequest { Force = Force.IsPresent }, context, approve, warn, token));
            return;
        }

        // Newest first, so records that touched the same file unwind in the reverse order they were made.
        for (var i = _ids.Count - 1; i >= 0; i--)
        {
            var request = new RestoreRequest { BackupId = _ids[i], Force = Force.IsPresent };
            Apply((context, approve, warn, token) => Remediation.RestoreAsync(request, context, approve, warn, token));
        }
    }
}
