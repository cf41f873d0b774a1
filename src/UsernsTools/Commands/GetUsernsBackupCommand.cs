using System.Management.Automation;
using UsernsTools.Configuration;
using UsernsTools.Platform;

namespace UsernsTools.Module.Commands;

/// <summary>The journal of changes UsernsTools made, oldest first: what each run changed and what it replaced.</summary>
[Cmdlet(VerbsCommon.Get, "UsernsBackup")]
[OutputType(typeof(UsernsBackup))]
public sealed class GetUsernsBackupCommand : UsernsCmdletBase
{
    private readonly List<string> _ids = new();

    /// <summary>One record's id (all records when omitted); binds BackupId of a UsernsChange or UsernsBackup piped in.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("BackupId")]
    [ArgumentCompleter(typeof(BackupIdCompleter))]
    [AllowNull]
    [AllowEmptyString]
    public string? Id { get; set; }

    /// <summary>File-system root of the machine whose journal to read (default /).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Root { get; set; } = "/";

    protected override void ProcessRecord()
    {
        if (string.IsNullOrEmpty(Id) && MyInvocation.ExpectingInput)
        {
            // A change that was already in force (or declined, or left for a manual step) wrote nothing and has no backup:
            // there is nothing of its own to show, and showing every record instead would answer another question.
            WriteVerbose("A record piped in has no BackupId: it wrote nothing, so it has no backup.");
            return;
        }

        if (Id is null)
        {
            Write(null);
            return;
        }

        // The changes of one run share one id: show its record once.
        if (!_ids.Contains(Id, StringComparer.Ordinal))
        {
            _ids.Add(Id);
            Write(Id);
        }
    }

    private void Write(string? id)
    {
        try
        {
            var context = new ConfigurationContext { Root = ResolveRoot(Root) };
            WriteObject(Remediation.GetBackups(context, id), enumerateCollection: true);
        }
        catch (UsernsException ex) when (MyInvocation.ExpectingInput)
        {
            // One id piped in may be unknown; the others are still worth showing.
            WriteUsernsError(ex);
        }
        catch (UsernsException ex)
        {
            ThrowUsernsError(ex);
        }
    }
}
