using System.CommandLine;
using UsernsTools.Configuration;
using UsernsTools.Diagnosis;
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
            if (result.GetValue(from) is not null && (result.GetResult(user) is not null || result.GetResult(noProbe) is not null))
            {
                result.AddError("--from diagnoses a recorded report; --user and --no-probe do not apply to it.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var report = parse.GetValue(from);
            if (parse.GetValue(json) && report is null)
            {
                // The writer is made ready on the other core while this one reads the facts (and waits for the probes).
                // The probes keep both cores busy: then only the part every status needs.
                Output.PrepareJson(() => UsernsJsonContext.Default, c => c.UsernsStatus, () => new UsernsStatus(), everything: parse.GetValue(noProbe));
            }

            var status = report is not null
                ? UsernsEngine.GetStatusFromReport(report, FrontEndWords.Cli)
                : await UsernsEngine.GetStatusAsync(
                    new StatusRequest
                    {
                        User = parse.GetValue(user),
                        NoProbe = parse.GetValue(noProbe),
                        ProbeTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                        Words = FrontEndWords.Cli,
                    },
                    cancellationToken).ConfigureAwait(false);
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
}
