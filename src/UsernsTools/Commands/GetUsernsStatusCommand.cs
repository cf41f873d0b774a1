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
    [Parameter(ParameterSetName = LiveSet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UserNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    /// <summary>A report file (usernstools status --json) to diagnose instead of this machine; binds Get-ChildItem's files.</summary>
    [Parameter(ParameterSetName = FromReportSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string FromReport { get; set; } = "";

    /// <summary>
    /// A report file piped in by Get-ChildItem. Binding it by value claims the FromReport set before the binder looks at
    /// properties: on Linux a FileInfo also has a User property (its owner), which would otherwise bind to -User.
    /// </summary>
    [Parameter(ParameterSetName = FromReportSet, ValueFromPipeline = true, DontShow = true)]
    public FileInfo? ReportFile { get; set; }

    /// <summary>Read facts only; start no helper process.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    public SwitchParameter NoProbe { get; set; }

    /// <summary>How long one probe may run (a TimeSpan or a number of seconds).</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [SecondsToTimeSpan]
    [ValidateTimeout]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    protected override void ProcessRecord()
    {
        // One status per input: each report file (the fleet view) or each user piped in.
        try
        {
            UsernsStatus status;
            if (ParameterSetName == FromReportSet)
            {
                var path = ResolveFileSystemPath(FromReport, nameof(FromReport));
                WriteVerbose($"Diagnosing the report '{path}'.");
                status = UsernsEngine.GetStatusFromReport(path);
            }
            else
            {
                var request = new StatusRequest { User = User, NoProbe = NoProbe.IsPresent, ProbeTimeout = ProbeTimeout };
                status = RunEngine(token => UsernsEngine.GetStatusAsync(request, token));
            }

            foreach (var line in DiagnosisNarrative.Describe(status))
            {
                WriteVerbose(line);
            }

            WriteObject(status);
        }
        catch (UsernsException ex) when (MyInvocation.ExpectingInput)
        {
            // One unreadable report or unknown user among many piped in: the others still get their status.
            WriteUsernsError(ex);
        }
        catch (UsernsException ex)
        {
            // One status per call: an unknown user or an unreadable report leaves nothing to return.
            ThrowUsernsError(ex);
        }
    }
}
