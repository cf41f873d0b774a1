using System.Management.Automation;
using UsernsTools.Platform;
using UsernsTools.Probes;

namespace UsernsTools.Module.Commands;

/// <summary>Really tries to create (and map, and use) user namespaces as a user, and says at which stage it failed.</summary>
[Cmdlet(VerbsDiagnostic.Test, "UserNamespace")]
[OutputType(typeof(UsernsProbeResult), typeof(bool))]
public sealed class TestUserNamespaceCommand : UsernsCmdletBase
{
    /// <summary>User name or uid to probe as; by default the sudo caller, nobody when root, else the current user.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    /// <summary>Return only whether a user namespace can be created and the user mapped to root in it.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>How long one probe may run (a TimeSpan or a number of seconds).</summary>
    [Parameter]
    [SecondsToTimeSpan]
    [ValidateTimeout]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    protected override void ProcessRecord()
    {
        try
        {
            var results = RunEngine(token => UsernsEngine.TestUserNamespaceAsync(User, ProbeTimeout, token));
            if (Quiet.IsPresent)
            {
                WriteObject(UsernsProber.Works(results));
            }
            else
            {
                WriteObject(results, enumerateCollection: true);
            }
        }
        catch (UsernsException ex)
        {
            // One user of several piped in may not exist; the others are still worth probing.
            WriteUsernsError(ex);
            if (Quiet.IsPresent)
            {
                WriteObject(false);
            }
        }
    }

}
