using System.CommandLine;
using UsernsTools.Configuration;

namespace UsernsTools.Cli.Commands;

/// <summary>
/// The options of the commands that change the machine (--root, --force, --dry-run, --json), spelled and described
/// the same everywhere, and the one way those commands run an engine operation and report it.
/// </summary>
internal sealed class ChangeOptions
{
    public Option<string> RootOption { get; } = Root();

    public Option<bool> ForceOption { get; } = new("--force")
    {
        Description = "Go ahead although another sysctl file still wins at boot, or an interrupted change is pending.",
    };

    public Option<bool> DryRunOption { get; } = new("--dry-run")
    {
        Description = "Print each planned change and write nothing.",
    };

    public Option<bool> JsonOption { get; } = CommonOptions.Json();

    public static Option<string> Root() => CommonOptions.CheckedRoot(new("--root")
    {
        Description = "File-system root of the machine to change (default: /); journal, files and proc/sys are below it, "
            + "a symbolic link below it is refused, and nothing found below it is run.",
        DefaultValueFactory = _ => "/",
    });

    /// <summary>Adds the options to <paramref name="command"/> and makes <paramref name="operation"/> its action.</summary>
    public void Attach(
        Command command,
        TextWriter stdout,
        TextWriter stderr,
        Func<ParseResult, bool, ConfigurationContext, Func<PlannedChange, bool>?, Action<string>, CancellationToken, Task<ApplyResult>> operation)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(operation);
        command.Add(RootOption);
        command.Add(ForceOption);
        command.Add(DryRunOption);
        command.Add(JsonOption);
        command.SetAction(async (parse, token) =>
        {
            var dryRun = parse.GetValue(DryRunOption);
            var json = parse.GetValue(JsonOption);
            var context = ChangeOutput.Context(parse.GetValue(RootOption)!);
            var result = await operation(
                parse,
                parse.GetValue(ForceOption),
                context,
                ChangeOutput.Approval(dryRun, stdout, json),
                ChangeOutput.Warn(stderr),
                token).ConfigureAwait(false);
            return ChangeOutput.Write(stdout, result, dryRun, json, context.Words);
        });
    }
}
