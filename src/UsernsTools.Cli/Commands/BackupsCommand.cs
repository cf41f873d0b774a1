using System.CommandLine;
using System.Globalization;
using UsernsTools.Configuration;
using UsernsTools.Serialization;

namespace UsernsTools.Cli.Commands;

/// <summary><c>usernstools backups</c>: the journal of changes, oldest first.</summary>
internal static class BackupsCommand
{
    public static Command Create(TextWriter stdout)
    {
        var root = ChangeOptions.Root();
        var json = CommonOptions.Json();
        var command = new Command("backups", "List the changes UsernsTools made, oldest first, with the id that 'usernstools restore' takes.")
        {
            root, json,
        };
        command.SetAction(parse =>
        {
            var backups = Remediation.GetBackups(ChangeOutput.Context(parse.GetValue(root)!));
            if (parse.GetValue(json))
            {
                Output.WriteJson(stdout, backups, UsernsJsonContext.Default.IReadOnlyListUsernsBackup);
                return ExitCodes.Success;
            }

            if (backups.Count == 0)
            {
                stdout.WriteLine("No backups: UsernsTools has changed nothing below this root.");
            }

            foreach (var backup in backups)
            {
                var created = backup.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                stdout.WriteLine($"{backup.BackupId}  {created}  {backup.State,-10}  {backup.Operation}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
