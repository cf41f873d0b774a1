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
        var command = new Command("restore", "Undo a change made by UsernsTools: the exact previous bytes, mode, owner and extended attributes of each file, and the previous runtime values.")
        {
            id,
        };
        new ChangeOptions().Attach(command, stdout, stderr, (parse, force, context, approve, warn, token) =>
        {
            // Only a command line without an id means "the newest change": nothing else can stand for a record.
            var backupId = parse.GetValue(id);
            return Remediation.RestoreAsync(new RestoreRequest { BackupId = backupId, Newest = backupId is null, Force = force }, context, approve, warn, token);
        });
        return command;
    }
}
