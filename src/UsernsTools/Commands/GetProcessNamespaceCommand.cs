using System.Management.Automation;
using UsernsTools.Platform;
using UsernsTools.Sandbox;

namespace UsernsTools.Module.Commands;

/// <summary>Shows the namespaces and id maps of processes, and in which kinds each is isolated from this session.</summary>
[Cmdlet(VerbsCommon.Get, "ProcessNamespace")]
[OutputType(typeof(ProcessNamespace))]
public sealed class GetProcessNamespaceCommand : UsernsCmdletBase
{
    /// <summary>Process ids (default: this PowerShell process); binds from Get-Process's Id.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public int[]? Id { get; set; }

    protected override void ProcessRecord()
    {
        if (Id is null)
        {
            WriteObject(UsernsEngine.GetProcessNamespace(null));
            return;
        }

        foreach (var id in Id)
        {
            try
            {
                WriteObject(UsernsEngine.GetProcessNamespace(id));
            }
            catch (UsernsException ex)
            {
                // A process that ended between Get-Process and here should not hide the others.
                WriteUsernsError(ex);
            }
        }
    }
}
