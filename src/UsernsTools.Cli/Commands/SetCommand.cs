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
        var command = new Command("set", "Set a user namespace sysctl in the running kernel and in /etc/sysctl.d/99-zz-usernstools.conf; a value already in force writes nothing.")
        {
            name, value, scope,
        };
        new ChangeOptions().Attach(command, stdout, stderr, (parse, force, context, approve, warn, token) => Remediation.SetSettingAsync(
            new SetSettingRequest(parse.GetValue(name)!, parse.GetValue(value)!) { Scope = CliParsing.Scope(parse.GetValue(scope)), Force = force },
            context,
            approve,
            warn,
            token));
        return command;
    }
}
