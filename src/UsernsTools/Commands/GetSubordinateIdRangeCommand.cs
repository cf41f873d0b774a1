using System.Management.Automation;
using UsernsTools.Facts;
using UsernsTools.Platform;

namespace UsernsTools.Module.Commands;

/// <summary>Shows the /etc/subuid and /etc/subgid ranges newuidmap would use, and what is wrong with them.</summary>
[Cmdlet(VerbsCommon.Get, "SubordinateIdRange")]
[OutputType(typeof(SubordinateIdRange))]
public sealed class GetSubordinateIdRangeCommand : UsernsCmdletBase
{
    /// <summary>User name or uid whose ranges to show; every user's when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UserNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    /// <summary>File-system root of the machine to read, for a mounted image or container.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Root { get; set; } = "/";

    private string _root = "/";

    protected override void BeginProcessing()
    {
        _root = ResolveRoot(Root);

        // Once per call, however many users are piped in: a line no range comes from is the file's, not a user's.
        foreach (var ignored in UsernsEngine.GetIgnoredSubordinateIdLines(_root))
        {
            WriteWarning(ignored);
        }
    }

    protected override void ProcessRecord()
    {
        var root = _root;
        try
        {
            WriteObject(RunEngine(token => UsernsEngine.GetSubordinateIdRangesAsync(User, root, token)), enumerateCollection: true);
        }
        catch (UsernsException ex)
        {
            // An unknown user among several piped in should not hide the others' ranges.
            WriteUsernsError(ex);
        }
    }
}
