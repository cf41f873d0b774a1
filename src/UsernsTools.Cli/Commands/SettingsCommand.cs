using System.CommandLine;
using UsernsTools.Serialization;

namespace UsernsTools.Cli.Commands;

/// <summary><c>usernstools settings</c>: each setting's runtime value, the value boot applies and the file that wins.</summary>
internal static class SettingsCommand
{
    public static Command Create(TextWriter stdout)
    {
        var root = CommonOptions.Root();
        var json = CommonOptions.Json();
        var names = new Argument<string[]>("name")
        {
            Description = "Settings to show (sysctl names such as user.max_user_namespaces); all when omitted.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("settings", "Show the kernel settings that govern user namespaces: runtime value, persisted value and the file that wins at boot.")
        {
            names, root, json,
        };
        command.SetAction(parse =>
        {
            var requested = parse.GetValue(names);
            var settings = UsernsEngine.GetSettings(parse.GetValue(root)!, requested is { Length: > 0 } ? requested : null);
            if (parse.GetValue(json))
            {
                Output.WriteJson(stdout, settings, UsernsJsonContext.Default.IReadOnlyListUsernsSetting);
            }
            else
            {
                TextReport.WriteSettings(stdout, settings);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
