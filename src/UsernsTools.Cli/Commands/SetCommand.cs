using System.CommandLine;
using UsernsTools.Configuration;

namespace UsernsTools.Cli.Commands;

/// <summary><c>usernstools set NAME VALUE</c>: one sysctl now and/or at boot, journaled.</summary>
internal static class SetCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var name = new Argument<string>("name") { Description = "The sysctl name, e.g. user.max_user_namespaces." };
        var value = new Argument<string>("value") { Description = "The value, an integer in the range the kernel accepts." };
        var scope = new Option<string>("--scope")
        {
            Description = "Where the value must be in force: runtime (now), persistent (the drop-in applied at boot) or both.",
            DefaultValueFactory = _ => "both",
        };
        scope.AcceptOnlyFromAmong(CliParsing.ScopeWords);
        var root = ChangeOptions.Root();
        var force = ChangeOptions.Force();
        var dryRun = ChangeOptions.DryRun();
        var json = CommonOptions.Json();
        var command = new Command("set", "Set a user namespace sysctl in the running kernel and in /etc/sysctl.d/99-zz-usernstools.conf; a value already in force writes nothing.")
        {
            name, value, scope, root, force, dryRun, json,
        };
        command.SetAction(async (parse, token) =>
        {
            var request = new SetSettingRequest(parse.GetValue(name)!, parse.GetValue(value)!)
            {
                Scope = CliParsing.Scope(parse.GetValue(scope)),
                Force = parse.GetValue(force),
            };
            var asJson = parse.GetValue(json);
            var result = await Remediation.SetSettingAsync(
                request,
                ChangeOutput.Context(parse.GetValue(root)!),
                ChangeOutput.Approval(parse.GetValue(dryRun), stdout, asJson),
                ChangeOutput.Warn(stderr),
                token).ConfigureAwait(false);
            return ChangeOutput.Write(stdout, result, parse.GetValue(dryRun), asJson);
        });
        return command;
    }
}
