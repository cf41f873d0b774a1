using System.CommandLine;
using UsernsTools.Serialization;

namespace UsernsTools.Cli.Commands;

/// <summary><c>usernstools subids</c>: a user's /etc/subuid and /etc/subgid ranges and what is wrong with them.</summary>
internal static class SubidsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var user = new Option<string?>("--user", "-u")
        {
            Description = "User name or uid whose ranges to show (default: every user's).",
        };
        var root = CommonOptions.Root();
        var json = CommonOptions.Json();
        var command = new Command("subids", "Show subordinate uid and gid ranges (/etc/subuid, /etc/subgid) used by newuidmap and rootless containers.")
        {
            user, root, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ranges = await UsernsEngine.GetSubordinateIdRangesAsync(parse.GetValue(user), parse.GetValue(root)!, cancellationToken).ConfigureAwait(false);
            foreach (var ignored in UsernsEngine.GetIgnoredSubordinateIdLines(parse.GetValue(root)!))
            {
                ChangeOutput.Warn(stderr)(ignored);
            }

            if (parse.GetValue(json))
            {
                Output.WriteJson(stdout, ranges, UsernsJsonContext.Default.IReadOnlyListSubordinateIdRange);
            }
            else
            {
                TextReport.WriteSubordinateIds(stdout, ranges);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
