using System.CommandLine;
using UsernsTools.Configuration;

namespace UsernsTools.Cli.Commands;

/// <summary><c>usernstools disable</c>: user.max_user_namespaces = 0 now and at boot (the hardening setting).</summary>
internal static class DisableCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var root = ChangeOptions.Root();
        var force = ChangeOptions.Force();
        var dryRun = ChangeOptions.DryRun();
        var json = CommonOptions.Json();
        var command = new Command("disable", "Set user.max_user_namespaces = 0 now and at boot: nobody, root included, can create user namespaces (rootless containers, Flatpak and browser sandboxes stop working).")
        {
            root, force, dryRun, json,
        };
        command.SetAction(async (parse, token) =>
        {
            var asJson = parse.GetValue(json);
            var result = await Remediation.DisableAsync(
                new DisableRequest { Force = parse.GetValue(force) },
                ChangeOutput.Context(parse.GetValue(root)!),
                ChangeOutput.Approval(parse.GetValue(dryRun), stdout, asJson),
                ChangeOutput.Warn(stderr),
                token).ConfigureAwait(false);
            return ChangeOutput.Write(stdout, result, parse.GetValue(dryRun), asJson);
        });
        return command;
    }
}
