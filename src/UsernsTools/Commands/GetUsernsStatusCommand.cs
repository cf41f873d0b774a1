using System.Management.Automation;
using UsernsTools.Diagnosis;
using UsernsTools.Platform;

namespace UsernsTools.Module.Commands;

/// <summary>Diagnoses whether the user can create user namespaces here, or diagnoses a report recorded elsewhere.</summary>
[Cmdlet(VerbsCommon.Get, "UsernsStatus", DefaultParameterSetName = LiveSet)]
[OutputType(typeof(UsernsStatus))]
public sealed class GetUsernsStatusCommand : UsernsCmdletBase
{
    private const string LiveSet = "Live";
    private const string FromReportSet = "FromReport";

    /// <summary>User name or uid to diagnose; by default the sudo caller, nobody when root, else the current user.</summary>
    [Parameter(ParameterSetName = LiveSet, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    /// <summary>A report file (usernstools status --json) to diagnose instead of this machine.</summary>
    [Parameter(ParameterSetName = FromReportSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string FromReport { get; set; } = "";

    /// <summary>Read facts only; start no helper process.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    public SwitchParameter NoProbe { get; set; }

    /// <summary>How long one probe may run (a TimeSpan or a number of seconds).</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [SecondsToTimeSpan]
    [ValidateTimeout]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    protected override void EndProcessing()
    {
        try
        {
            if (ParameterSetName == FromReportSet)
            {
                var path = ResolveFileSystemPath(FromReport, nameof(FromReport));
                WriteVerbose($"Diagnosing the report '{path}'.");
                WriteObject(UsernsEngine.GetStatusFromReport(path));
                return;
            }

            var request = new StatusRequest { User = User, NoProbe = NoProbe.IsPresent, ProbeTimeout = ProbeTimeout };
            WriteObject(RunEngine(token => UsernsEngine.GetStatusAsync(request, token)));
        }
        catch (UsernsException ex)
        {
            // One status per call: an unknown user or an unreadable report leaves nothing to return.
            ThrowUsernsError(ex);
        }
    }
}
