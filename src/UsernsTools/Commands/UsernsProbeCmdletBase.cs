using System.Management.Automation;
using UsernsTools.Platform;

namespace UsernsTools.Module.Commands;

/// <summary>
/// What the Test- cmdlets that really try something as a user share: -User, -Quiet and -ProbeTimeout; the probe
/// results as output, or with -Quiet the one bool the engine decides from them. A user piped in that does not resolve
/// is a non-terminating error (and $false with -Quiet), so the other users are still probed.
/// </summary>
/// <typeparam name="TResult">The engine's result type for one probe.</typeparam>
public abstract class UsernsProbeCmdletBase<TResult> : UsernsCmdletBase
{
    /// <summary>User name or uid to probe as; by default the sudo caller, nobody when root, else the current user.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UserNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    /// <summary>Return only whether the probe succeeded, as true or false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>How long one probe may run (a TimeSpan or a number of seconds).</summary>
    [Parameter]
    [SecondsToTimeSpan]
    [ValidateTimeout]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Runs the probes through one engine call.</summary>
    protected abstract IReadOnlyList<TResult> Probe();

    /// <summary>The engine's answer to -Quiet for these results.</summary>
    protected abstract bool Works(IReadOnlyList<TResult> results);

    protected override void ProcessRecord()
    {
        try
        {
            var results = Probe();
            if (Quiet.IsPresent)
            {
                WriteObject(Works(results));
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
