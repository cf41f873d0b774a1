using System.CommandLine;
using UsernsTools.Cli.Commands;
using UsernsTools.Display;
using UsernsTools.Platform;

namespace UsernsTools.Cli;

/// <summary>The command tree and the one place where errors become exit codes.</summary>
internal static class CliApp
{
    private static readonly char[] s_lineBreaks = { '\n', '\r', '\t' };

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // Text from logs and other processes reaches these writers: nothing written may act on the terminal.
        stdout = TerminalTextWriter.Wrap(stdout);
        stderr = TerminalTextWriter.Wrap(stderr);
        var root = new RootCommand("Diagnose, fix and use unprivileged Linux user namespaces (bubblewrap, rootless containers, sandboxes).")
        {
            StatusCommand.Create(stdout),
            SettingsCommand.Create(stdout),
            TestUsernsCommand.Create(stdout),
            SubidsCommand.Create(stdout),
            TestBwrapCommand.Create(stdout),
            DenialsCommand.Create(stdout, stderr),
            SetCommand.Create(stdout, stderr),
            EnableCommand.Create(stdout, stderr),
            DisableCommand.Create(stdout, stderr),
            BackupsCommand.Create(stdout),
            RestoreCommand.Create(stdout, stderr),
            DscCommand.Create(stdout, stderr),
            RunCommand.Create(stdout, stderr),
            NsCommand.Create(stdout),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line, so scripts can read the reason: some parser messages list the accepted values on lines of their own.
            var message = string.Join(' ', parse.Errors[0].Message.Split(s_lineBreaks, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()));
            if (DscCommand.IsDsc(args))
            {
                stderr.WriteLine(ErrorReporter.DscErrorLine($"{(TerminalText.Escape(message) ?? "")} (see 'usernstools dsc --help')"));
                return DscExitCodes.InvalidInput;
            }

            stderr.WriteLine($"usernstools: {(TerminalText.Escape(message) ?? "")} (see 'usernstools --help')");
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
