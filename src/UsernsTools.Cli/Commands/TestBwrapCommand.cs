using System.CommandLine;
using UsernsTools.Configuration;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;
using UsernsTools.Serialization;

namespace UsernsTools.Cli.Commands;

/// <summary>
/// <c>usernstools test-bwrap</c>: run bubblewrap as the user in each mode. Exit 0 when the strict mode (a user namespace
/// with the user mapped to root) works, 1 when only --unshare-user-try made a user namespace, 2 when neither, 69 when
/// bwrap is missing.
/// </summary>
internal static class TestBwrapCommand
{
    public static Command Create(TextWriter stdout)
    {
        var user = CommonOptions.User();
        var json = CommonOptions.Json();
        var timeout = CommonOptions.Timeout();
        var bwrap = CommonOptions.NonEmptyPath(
            new Option<string?>("--bwrap")
            {
                Description = "Probe this bwrap executable instead of the first one on PATH.",
                HelpName = "PATH",
            },
            "give the path of a bwrap, or leave --bwrap out for the first one on PATH.");
        var command = new Command(
            "test-bwrap",
            "Run bubblewrap as the user (strict, try, network, proc and flatpak modes) and classify what failed. Exit 0 when bwrap can map the user in a new user namespace, 1 when only --unshare-user-try makes one, 2 when neither, 69 when bwrap is not installed.")
        {
            user, bwrap, json, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(bwrap);
            var results = await UsernsEngine.TestBwrapAsync(
                parse.GetValue(user), path is null ? null : Path.GetFullPath(path), TimeSpan.FromSeconds(parse.GetValue(timeout)), FrontEndWords.Cli, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Output.WriteJson(stdout, results, UsernsJsonContext.Default.IReadOnlyListBwrapProbeResult);
            }
            else
            {
                TextReport.WriteBwrapProbes(stdout, results);
            }

            return ExitCode(results);
        });
        return command;
    }

    internal static int ExitCode(IReadOnlyList<BwrapProbeResult> results)
    {
        if (results.Count > 0 && results.All(r => r.ErrorKind == BwrapErrorKind.NotInstalled))
        {
            return ExitCodes.ServiceUnavailable;
        }

        if (ProbeVerdicts.BwrapWorks(results))
        {
            return ExitCodes.Success;
        }

        // Try mode "works" only when it really made a user namespace: running without one proves nothing about them.
        return ProbeVerdicts.OnlyBwrapTryModeWorks(results) ? ExitCodes.Limited : ExitCodes.Unavailable;
    }
}
