using System.Management.Automation;
using UsernsTools.Platform;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Module.Commands;

/// <summary>Runs bubblewrap as a user in each mode and says whether it can map the user in a new user namespace, and if not, why.</summary>
[Cmdlet(VerbsDiagnostic.Test, "BwrapUidMap")]
[OutputType(typeof(BwrapProbeResult), typeof(bool))]
public sealed class TestBwrapUidMapCommand : UsernsCmdletBase
{
    /// <summary>User name or uid to probe as; by default the sudo caller, nobody when root, else the current user.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    /// <summary>Probe this bwrap instead of the first one on PATH.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BwrapPath { get; set; }

    /// <summary>Return only whether bwrap can map the user in a new user namespace (the strict probe).</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>How long one probe may run (a TimeSpan or a number of seconds).</summary>
    [Parameter]
    [SecondsToTimeSpan]
    [ValidateTimeout]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    protected override void ProcessRecord()
    {
        var bwrapPath = BwrapPath is null ? null : ResolveFileSystemPath(BwrapPath, nameof(BwrapPath));
        try
        {
            var results = RunEngine(token => UsernsEngine.TestBwrapAsync(User, bwrapPath, ProbeTimeout, token));
            foreach (var result in results.Where(r => r.Command.Count > 0).Take(1))
            {
                WriteVerbose($"Probing {result.Installation?.Path ?? "bwrap"} as {result.User}: {string.Join(' ', result.Command)}");
            }

            if (Quiet.IsPresent)
            {
                WriteObject(BwrapProber.Works(results));
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
