using System.Management.Automation;
using UsernsTools.Facts;
using UsernsTools.Platform;

namespace UsernsTools.Module.Commands;

/// <summary>Shows the kernel settings that govern user namespaces: the value now, the value boot applies, and the file that wins.</summary>
[Cmdlet(VerbsCommon.Get, "UsernsSetting")]
[OutputType(typeof(UsernsSetting))]
public sealed class GetUsernsSettingCommand : UsernsCmdletBase
{
    private readonly List<string> _names = new();

    /// <summary>sysctl names to show, wildcards allowed (all known settings when omitted); names can be piped in.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SettingNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>File-system root of the machine to read, for a mounted image or container.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Root { get; set; } = "/";

    protected override void ProcessRecord()
    {
        // Names piped in one by one are read together at the end: the sysctl files are read once for all of them.
        if (Name is not null)
        {
            _names.AddRange(Name);
        }
    }

    protected override void EndProcessing()
    {
        var root = ResolveRoot(Root);
        var names = _names.Count > 0 ? _names : null;
        try
        {
            // An unknown name among several is about that name only: reported, and the others are still shown.
            WriteObject(UsernsEngine.GetSettings(root, names, WriteUsernsError), enumerateCollection: true);
        }
        catch (UsernsException ex)
        {
            // The root is the whole input; if it cannot be read there is nothing else to try.
            ThrowUsernsError(ex);
        }
    }
}
