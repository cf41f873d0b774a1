using System.Management.Automation;
using UsernsTools.Configuration;
using UsernsTools.Platform;

namespace UsernsTools.Module.Commands;

/// <summary>The journal of changes UsernsTools made, oldest first: what each run changed and what it replaced.</summary>
[Cmdlet(VerbsCommon.Get, "UsernsBackup")]
[OutputType(typeof(UsernsBackup))]
public sealed class GetUsernsBackupCommand : UsernsCmdletBase
{
    /// <summary>One record's id (all records when omitted).</summary>
    [Parameter(Position = 0)]
    [Alias("BackupId")]
    [ValidateNotNullOrEmpty]
    public string? Id { get; set; }

    /// <summary>File-system root of the machine whose journal to read (default /).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Root { get; set; } = "/";

    protected override void EndProcessing()
    {
        try
        {
            var context = new ConfigurationContext { Root = ResolveRoot(Root) };
            WriteObject(Remediation.GetBackups(context, Id), enumerateCollection: true);
        }
        catch (UsernsException ex)
        {
            ThrowUsernsError(ex);
        }
    }
}
