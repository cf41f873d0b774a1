using System.CommandLine;
using UsernsTools.Cli.Commands;
using UsernsTools.Platform;

namespace UsernsTools.Cli;

/// <summary>The command tree and the one place where errors become exit codes.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Diagnose, fix and use unprivileged Linux user namespaces (bubblewrap, rootless containers, sandboxes).")
        {
            StatusCommand.Create(stdout),
            SettingsCommand.Create(stdout),
            TestUsernsCommand.Create(stdout),
            SubidsCommand.Create(stdout),
            RunCommand.Create(stdout, stderr),
            NsCommand.Create(stdout),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            stderr.WriteLine($"usernstools: {parse.Errors[0].Message} (see 'usernstools --help')");
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
            stderr.WriteLine($"usernstools: internal error: {ex.GetType().Name}: {ex.Message} (please report this)");
            return ExitCodes.Software;
        }
    }
}
