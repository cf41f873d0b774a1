using System.CommandLine;
using UsernsTools.Cli.Commands;
using UsernsTools.Display;
using UsernsTools.Platform;

namespace UsernsTools.Cli;

/// <summary>The command tree and the one place where errors become exit codes.</summary>
internal static class CliApp
{
    /// <summary>The subcommands, built as the command line needs them.</summary>
    /// <remarks>
    /// A command line that starts with a command's name parses and runs the same with that command alone below the root
    /// (no option is shared between commands, and every message names only what that command has): only it is built,
    /// so a cold start pays for one command's options rather than fourteen. Anything else (no command, a misspelt
    /// one, root options) gets the whole tree, for its help text and errors.
    /// </remarks>
    private static IEnumerable<Command> Commands(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var only = args.Length > 0 ? args[0] : null;
        var all = only is null || !Array.Exists(s_commands, c => string.Equals(c.Name, only, StringComparison.Ordinal));
        foreach (var (name, create) in s_commands)
        {
            if (all || string.Equals(name, only, StringComparison.Ordinal))
            {
                yield return create(stdout, stderr);
            }
        }
    }

    private static readonly (string Name, Func<TextWriter, TextWriter, Command> Create)[] s_commands =
    {
        ("status", (stdout, _) => StatusCommand.Create(stdout)),
        ("settings", (stdout, _) => SettingsCommand.Create(stdout)),
        ("test-userns", (stdout, _) => TestUsernsCommand.Create(stdout)),
        ("subids", SubidsCommand.Create),
        ("test-bwrap", (stdout, _) => TestBwrapCommand.Create(stdout)),
        ("denials", DenialsCommand.Create),
        ("set", SetCommand.Create),
        ("enable", EnableCommand.Create),
        ("disable", DisableCommand.Create),
        ("backups", (stdout, _) => BackupsCommand.Create(stdout)),
        ("restore", RestoreCommand.Create),
        ("dsc", DscCommand.Create),
        (RunCommand.Name, RunCommand.Create),
        ("ns", (stdout, _) => NsCommand.Create(stdout)),
    };

    private const string Description = "Diagnose, fix and use unprivileged Linux user namespaces (bubblewrap, rootless containers, sandboxes).";

    /// <summary>The aliases of System.CommandLine's help and version options.</summary>
    private static readonly string[] s_helpAndVersion = { "--help", "-h", "/h", "-?", "/?", "--version" };

    /// <summary>
    /// Whether the command line may use what only the root command has: --help and --version (on any command: help is
    /// recursive), a directive (<c>[suggest]</c>), or a response file (<c>@file</c>, which may hold either).
    /// </summary>
    /// <remarks>
    /// Those two options take their descriptions from System.CommandLine's resources, and loading them is a resource lookup
    /// by reflection that costs a cold start about 0.4 ms. Any other command line parses and runs the same below a plain
    /// root of the same name (no other token can match them), so only these get the root command with both options.
    /// An empty command line, or a group of short options that may hold -h or -?, counts as asking.
    /// </remarks>
    internal static bool MayAskForHelpOrVersion(string[] args)
    {
        if (args.Length == 0)
        {
            return true;
        }

        foreach (var arg in args)
        {
            if (Array.IndexOf(s_helpAndVersion, arg) >= 0
                || arg.StartsWith('@') || arg.StartsWith('[')
                || (arg.Length > 2 && arg[0] == '-' && arg[1] != '-' && arg.AsSpan(1).IndexOfAny('h', '?') >= 0))
            {
                return true;
            }
        }

        return false;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // Text from logs and other processes reaches these writers: nothing written may act on the terminal.
        stdout = TerminalTextWriter.Wrap(stdout);
        stderr = TerminalTextWriter.Wrap(stderr);
        var root = MayAskForHelpOrVersion(args) ? new RootCommand(Description) : new Command(RootCommand.ExecutableName, Description);
        foreach (var command in Commands(args, stdout, stderr))
        {
            root.Subcommands.Add(command);
        }

        var parse = root.Parse(args);
        var taken = parse.Errors.Count == 0 ? UsageErrors.OptionTakenAsValue(parse) : null;
        if (parse.Errors.Count > 0 || taken is not null)
        {
            var message = TerminalText.Escape(taken ?? UsageErrors.Message(parse)) ?? "";
            var help = TerminalText.Escape(UsageErrors.HelpCommand(parse));
            if (DscCommand.IsDsc(args))
            {
                stderr.WriteLine(ErrorReporter.DscErrorLine($"{message} (see '{help}')"));
                return DscExitCodes.InvalidInput;
            }

            stderr.WriteLine($"usernstools: {message} (see '{help}')");
            return ExitCodes.Usage;
        }

        try
        {
            var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
            if (parse.CommandResult.Command.Name == RunCommand.Name)
            {
                // run handles signals itself: Ctrl+C belongs to the program in the sandbox (see TerminationSignals).
                configuration.ProcessTerminationTimeout = null;
            }

            return await parse.InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (UsernsException ex)
        {
            return ErrorReporter.Report(ex, stderr);
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("usernstools: interrupted");
            return ExitCodes.Interrupted;
        }
#pragma warning disable CA1031 // The last resort: one line, a documented code, never a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var text = $"internal error: {ex.GetType().Name}: {(TerminalText.Escape(ex.Message) ?? "")} (please report this)";
            if (DscCommand.IsDsc(args))
            {
                stderr.WriteLine(ErrorReporter.DscErrorLine(text));
                return DscExitCodes.Error;
            }

            stderr.WriteLine($"usernstools: {text}");
            return ExitCodes.Software;
        }
    }
}
