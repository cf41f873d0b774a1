using System.CommandLine;
using UsernsTools.Sandbox;
using UsernsTools.Serialization;

namespace UsernsTools.Cli.Commands;

/// <summary><c>usernstools ns [PID]</c>: the namespaces and id maps of a process and where it is isolated from this one.</summary>
internal static class NsCommand
{
    public static Command Create(TextWriter stdout)
    {
        var pid = new Argument<int?>("PID")
        {
            Description = "The process to show (default: usernstools itself).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var json = CommonOptions.Json();
        var command = new Command("ns", "Show the namespaces (inodes of /proc/PID/ns/*) and uid/gid maps of a process, and the kinds in which it is isolated from usernstools.")
        {
            pid, json,
        };
        command.SetAction(parse =>
        {
            var id = parse.GetValue(pid);
            var result = UsernsEngine.GetProcessNamespace(id);
            if (parse.GetValue(json))
            {
                Output.WriteJson(stdout, result, UsernsJsonContext.Default.ProcessNamespace);
            }
            else
            {
                NamespaceReport.Write(stdout, result);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
