using System.CommandLine;
using UsernsTools.Probes;
using UsernsTools.Serialization;

namespace UsernsTools.Cli.Commands;

/// <summary><c>usernstools test-userns</c>: run the probes; exit 0 when a user namespace can be created and root mapped, else 2.</summary>
internal static class TestUsernsCommand
{
    public static Command Create(TextWriter stdout)
    {
        var user = CommonOptions.User();
        var json = CommonOptions.Json();
        var timeout = CommonOptions.Timeout();
        var command = new Command("test-userns", "Try to create user namespaces (and each other namespace kind inside one) as the user. Exit 0 when creating and mapping work, 1 when only creating works, 2 when neither.")
        {
            user, json, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var probes = await UsernsEngine.TestUserNamespaceAsync(
                parse.GetValue(user), TimeSpan.FromSeconds(parse.GetValue(timeout)), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Output.WriteJson(stdout, probes, UsernsJsonContext.Default.IReadOnlyListUsernsProbeResult);
            }
            else
            {
                foreach (var probe in probes)
                {
                    TextReport.WriteProbe(stdout, probe);
                }
            }

            return ProbeVerdicts.UserNamespacesWork(probes) ? ExitCodes.Success : ProbeVerdicts.CanCreateUserNamespace(probes) ? ExitCodes.Limited : ExitCodes.Unavailable;
        });
        return command;
    }
}
