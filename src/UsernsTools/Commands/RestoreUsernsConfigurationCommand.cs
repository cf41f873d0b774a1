using System.Management.Automation;
using UsernsTools.Configuration;

namespace UsernsTools.Module.Commands;

/// <summary>
/// Puts back exactly what a journal record replaced (bytes, mode, owner, extended attributes, runtime values; files it created are
/// removed). Without -BackupId and without pipeline input, the newest change not yet undone; piped records that carry
/// no BackupId (changes that wrote nothing) restore nothing.
/// </summary>
[Cmdlet(VerbsData.Restore, "UsernsConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(UsernsChange))]
public sealed class RestoreUsernsConfigurationCommand : UsernsChangeCmdletBase
{
    private readonly List<string> _ids = new();
    private int _withoutId;

    /// <summary>
    /// The journal record to undo; binds BackupId of a UsernsBackup or a UsernsChange piped in. A piped record without
    /// one (a change that was already in force) binds as null and is reported, not taken for "the newest".
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(BackupIdCompleter))]
    [AllowNull]
    [AllowEmptyString]
    public string? BackupId { get; set; }

    protected override void ProcessRecord()
    {
        if (string.IsNullOrEmpty(BackupId) && MyInvocation.ExpectingInput)
        {
            _withoutId++;
            return;
        }

        // Several changes of one run carry the same id: undo each record once. An empty id typed on the command line
        // goes to the engine, which refuses it as InvalidBackupId.
        if (BackupId is not null && !_ids.Contains(BackupId, StringComparer.Ordinal))
        {
            _ids.Add(BackupId);
        }
    }

    protected override void EndProcessing()
    {
        if (_ids.Count == 0 && !MyInvocation.ExpectingInput)
        {
            Apply((context, approve, warn, token) => Remediation.RestoreAsync(new RestoreRequest { Newest = true, Force = Force.IsPresent }, context, approve, warn, token));
            return;
        }

        if (_ids.Count == 0)
        {
            // Input came, but nothing in it names a record: restoring the newest change instead would undo another one.
            if (_withoutId > 0)
            {
                WriteUsernsError(Remediation.NoBackupIdGiven(_withoutId));
            }
            else
            {
                WriteVerbose("Nothing was piped in; nothing is restored.");
            }

            return;
        }

        if (_withoutId > 0)
        {
            WriteVerbose($"{_withoutId} record(s) piped in carry no BackupId: they wrote nothing, so there is nothing of theirs to undo.");
        }

        // Newest first, so records that touched the same file unwind in the reverse order they were made; a record that
        // cannot be restored is reported and the others still are. A preview takes what it previewed before as undone,
        // as the real run will have undone it: else each older record is refused for the newer one it leaves in force.
        var previewed = new List<string>();
        var whatIf = WhatIfRequested();
        for (var i = _ids.Count - 1; i >= 0; i--)
        {
            var request = new RestoreRequest { BackupId = _ids[i], Force = Force.IsPresent, PreviewedAsUndone = whatIf ? previewed.ToArray() : Array.Empty<string>() };
            if (Apply((context, approve, warn, token) => Remediation.RestoreAsync(request, context, approve, warn, token), perItem: true) && whatIf)
            {
                previewed.Add(_ids[i]);
            }
        }
    }
}
