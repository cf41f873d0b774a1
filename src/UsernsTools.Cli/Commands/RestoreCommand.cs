using System.CommandLine;
using UsernsTools.Configuration;

namespace UsernsTools.Cli.Commands;

/// <summary><c>usernstools restore [ID]</c>: put back exactly what a journal record replaced (default: the newest change).</summary>
internal static class RestoreCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var id = new Argument<string?>("id")
        {
            Description = "The backup to undo (see 'usernstools backups'); the newest change not yet undone when omitted.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var root = ChangeOptions.Root();
        var force = ChangeOptions.Force();
        var dryRun = ChangeOptions.DryRun();
        var json = CommonOptions.Json();
        var command = new Command("restore", "Undo a change made by UsernsTools: the exact previous bytes, mode and owner of each file, and the previous runtime values.")
        {
            id, root, force, dryRun, json,
        };
        command.SetAction(async (parse, token) =>
        {
            var asJson = parse.GetValue(json);
            var result = await Remediation.RestoreAsync(
                new RestoreRequest { BackupId = parse.GetValue(id), Force = parse.GetValue(force) },
                ChangeOutput.Context(parse.GetValue(root)!),
                ChangeOutput.Approval(parse.GetValue(dryRun), stdout, asJson),
                ChangeOutput.Warn(stderr),
                token).ConfigureAwait(false);
            return ChangeOutput.Write(stdout, result, parse.GetValue(dryRun), asJson);
        });
        return command;
    }
}
