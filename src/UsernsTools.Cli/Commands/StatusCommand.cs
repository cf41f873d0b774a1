using System.CommandLine;
using UsernsTools.Configuration;
using UsernsTools.Diagnosis;
using UsernsTools.Facts.Denials;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;
using UsernsTools.Serialization;

namespace UsernsTools.Cli.Commands;

/// <summary><c>usernstools status</c>: the verdict, findings and fixes; exit 0 Available, 1 Limited, 2 Unavailable.</summary>
internal static class StatusCommand
{
    public static Command Create(TextWriter stdout)
    {
        var user = CommonOptions.User();
        var json = CommonOptions.Json();
        var timeout = CommonOptions.Timeout();
        var from = new Option<string?>("--from")
        {
            Description = "Diagnose a report recorded with 'status --json' (on any machine) instead of this machine.",
        };
        var noProbe = new Option<bool>("--no-probe")
        {
            Description = "Read facts only: no unshare or bwrap probe and no log scan.",
        };
        var command = new Command("status", "Tell whether unprivileged user namespaces work here, and if not, why and how to fix it. Exit codes: 0 Available, 1 Limited, 2 Unavailable.")
        {
            user, json, from, noProbe, timeout,
        };
        command.Validators.Add(result =>
        {
            // GetResult, not GetValue: a --from given without its value is the parser's error to report, and GetValue throws.
            if (result.GetResult(from) is not null && (result.GetResult(user) is not null || result.GetResult(noProbe) is not null))
            {
                result.AddError("--from diagnoses a recorded report; --user and --no-probe do not apply to it.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var report = parse.GetValue(from);
            var writeJson = parse.GetValue(json) && report is null;
            var probe = !parse.GetValue(noProbe);
            if (writeJson && !probe)
            {
                // Facts alone keep one core busy: the writer is made ready on the other.
                Output.PrepareJson(() => UsernsJsonContext.Default.UsernsStatus, () => new UsernsStatus());
            }

            UsernsStatus status;
            if (report is not null)
            {
                status = UsernsEngine.GetStatusFromReport(report, FrontEndWords.Cli);
            }
            else
            {
                // The engine returns once the probes run and the facts are read. While this thread waits for the probes,
                // it makes the writer ready for what a probed status holds (on a thread of its own before, it took a core
                // from the probes as they start).
                var pending = UsernsEngine.GetStatusAsync(
                    new StatusRequest
                    {
                        User = parse.GetValue(user),
                        NoProbe = !probe,
                        ProbeTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                        Words = FrontEndWords.Cli,
                    },
                    cancellationToken);
                if (writeJson && probe && !pending.IsCompleted)
                {
                    Output.PrepareJsonNow(() => UsernsJsonContext.Default.UsernsStatus, OneOfEach);
                }

                status = await pending.ConfigureAwait(false);
            }

            if (parse.GetValue(json))
            {
                Output.WriteJson(stdout, status, UsernsJsonContext.Default.UsernsStatus);
            }
            else
            {
                TextReport.WriteStatus(stdout, status);
            }

            return status.Verdict switch
            {
                Verdict.Available => ExitCodes.Success,
                Verdict.Limited => ExitCodes.Limited,
                _ => ExitCodes.Unavailable,
            };
        });
        return command;
    }

    // A status holding one of each item a probed status lists: writing it builds what writing those items needs.
    private static UsernsStatus OneOfEach() => new()
    {
        Findings = new[] { new UsernsFinding() },
        Probes = new[] { new UsernsProbeResult() },
        BwrapProbes = new[] { new BwrapProbeResult { Installation = new BwrapInstallation() } },
        Denials = new[] { new UsernsDenial() },
    };
}
