using System.CommandLine;
using UsernsTools.Configuration;

namespace UsernsTools.Cli.Commands;

/// <summary><c>usernstools enable</c>: lift what blocks unprivileged user namespaces, least privilege first.</summary>
internal static class EnableCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var method = new Option<string>("--method")
        {
            Description = "auto (least privilege per cause), apparmor (per-program profiles only) or sysctl (system-wide settings only).",
            DefaultValueFactory = _ => "auto",
        };
        method.AcceptOnlyFromAmong(CliParsing.MethodWords);
        var programs = CommonOptions.NonEmptyPath(
            new Option<string[]>("--program")
            {
                Description = "A program that gets an AppArmor profile with the userns rule besides bwrap (repeatable).",
                AllowMultipleArgumentsPerToken = true,
            },
            "give the path of the program to exempt.");
        var command = new Command("enable", "Lift what blocks unprivileged user namespaces: an AppArmor profile per program where AppArmor restricts them, else the blocking sysctls.")
        {
            method, programs,
        };
        new ChangeOptions().Attach(command, stdout, stderr, (parse, force, context, approve, warn, token) => Remediation.EnableAsync(
            new EnableRequest
            {
                Method = CliParsing.Method(parse.GetValue(method)),
                ProgramPaths = (parse.GetValue(programs) ?? Array.Empty<string>()).Select(Path.GetFullPath).ToList(),
                Force = force,
            },
            context,
            approve,
            warn,
            token));
        return command;
    }
}
