using System.CommandLine;
using UsernsTools.Configuration;

namespace UsernsTools.Cli.Commands;

/// <summary><c>usernstools disable</c>: user.max_user_namespaces = 0 now and at boot (the hardening setting).</summary>
internal static class DisableCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("disable", "Set user.max_user_namespaces = 0 now and at boot: nobody, root included, can create user namespaces (rootless containers, Flatpak and browser sandboxes stop working).");
        new ChangeOptions().Attach(command, stdout, stderr, (_, force, context, approve, warn, token) =>
            Remediation.DisableAsync(new DisableRequest { Force = force }, context, approve, warn, token));
        return command;
    }
}
