using System.Management.Automation;
using UsernsTools.Facts;
using UsernsTools.Platform;

namespace UsernsTools.Module.Commands;

/// <summary>Shows the kernel settings that govern user namespaces: the value now, the value boot applies, and the file that wins.</summary>
[Cmdlet(VerbsCommon.Get, "UsernsSetting")]
[OutputType(typeof(UsernsSetting))]
public sealed class GetUsernsSettingCommand : UsernsCmdletBase
{
    /// <summary>sysctl names to show (all known settings when omitted).</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(SettingNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>File-system root of the machine to read, for a mounted image or container.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Root { get; set; } = "/";

    protected override void EndProcessing()
    {
        var root = ResolveRoot(Root);
        try
        {
            // An unknown name among several is about that name only: reported, and the others are still shown.
            WriteObject(UsernsEngine.GetSettings(root, Name, WriteUsernsError), enumerateCollection: true);
        }
        catch (UsernsException ex)
        {
            // The root is the whole input; if it cannot be read there is nothing else to try.
            ThrowUsernsError(ex);
        }
    }
}
