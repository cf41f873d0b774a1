using System.CommandLine;
using UsernsTools.Configuration;
using UsernsTools.Platform;

namespace UsernsTools.Cli.Commands;

/// <summary>
/// <c>usernstools dsc get|test|set|export</c>: the UsernsTools/Setting resource for Microsoft DSC v3. One JSON object on
/// stdin, JSON Lines on stdout, errors as <c>{"error": "..."}</c> lines on stderr (what DSC shows), and the exit codes
/// of usernstools.dsc.resource.json (not the sysexits codes).
/// </summary>
internal static class DscCommand
{
    public static bool IsDsc(IReadOnlyList<string> args) => args.Count > 0 && args[0] == "dsc";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("dsc", "The UsernsTools/Setting resource for Microsoft DSC v3 (usernstools.dsc.resource.json): JSON on stdin and stdout.")
        {
            Operation("get", "Write the setting's current state.", stdout, stderr, (json, context, _, _) => Task.FromResult(DscResource.Get(json, context))),
            Operation("test", "Write the current state with _inDesiredState, then the properties that differ.", stdout, stderr, (json, context, _, _) => Task.FromResult(DscResource.Test(json, context, out _))),
            Operation("set", "Enforce the desired state; write the state after, then the properties that changed.", stdout, stderr, DscResource.SetAsync, whatIf: true),
            Operation("export", "Write the state of every managed setting that has a value here, one line each.", stdout, stderr, (json, context, _, _) => Task.FromResult(DscResource.Export(json, context)), optionalInput: true),
        };
        return command;
    }

    private static Command Operation(
        string name,
        string description,
        TextWriter stdout,
        TextWriter stderr,
        Func<string, ConfigurationContext, bool, CancellationToken, Task<string>> run,
        bool whatIf = false,
        bool optionalInput = false)
    {
        var root = ChangeOptions.Root();
        var command = new Command(name, description) { root };
        Option<bool>? whatIfOption = null;
        if (whatIf)
        {
            whatIfOption = new Option<bool>("--what-if") { Description = "Write the state a set would reach, and change nothing." };
            command.Add(whatIfOption);
        }

        command.SetAction(async (parse, token) =>
        {
            try
            {
                // export may be run by hand with no document: do not wait on a terminal for one.
                var input = optionalInput && !Console.IsInputRedirected ? "" : await Console.In.ReadToEndAsync(token).ConfigureAwait(false);
                var context = ChangeOutput.Context(parse.GetValue(root)!);
                var output = await run(input, context with { Words = FrontEndWords.ForDsc(context.Root) }, whatIfOption is not null && parse.GetValue(whatIfOption), token).ConfigureAwait(false);
                if (output.Length > 0)
                {
                    stdout.WriteLine(output);
                }

                return DscExitCodes.Success;
            }
            catch (UsernsException ex)
            {
                return ErrorReporter.ReportDsc(ex, stderr);
            }
        });
        return command;
    }
}
