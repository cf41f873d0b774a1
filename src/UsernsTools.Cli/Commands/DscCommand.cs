using System.CommandLine;
using UsernsTools.Configuration;
using UsernsTools.Platform;

namespace UsernsTools.Cli.Commands;

/// <summary>
/// <c>usernstools dsc get|test|set</c>: the UsernsTools/Setting resource for Microsoft DSC v3. One JSON object on
/// stdin, one on stdout, and the exit codes of usernstools.dsc.resource.json (not the sysexits codes).
/// </summary>
internal static class DscCommand
{
    public static bool IsDsc(IReadOnlyList<string> args) => args.Count > 0 && args[0] == "dsc";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("dsc", "The UsernsTools/Setting resource for Microsoft DSC v3 (usernstools.dsc.resource.json): JSON on stdin and stdout.")
        {
            Operation("get", "Write the setting's current state.", stdout, stderr, (json, context, _, _) => Task.FromResult(DscResource.Get(json, context))),
            Operation("test", "Write the current state with _inDesiredState.", stdout, stderr, (json, context, _, _) => Task.FromResult(DscResource.Test(json, context, out _))),
            Operation("set", "Enforce the desired state and write the state after.", stdout, stderr, DscResource.SetAsync, whatIf: true),
        };
        return command;
    }

    private static Command Operation(
        string name,
        string description,
        TextWriter stdout,
        TextWriter stderr,
        Func<string, ConfigurationContext, bool, CancellationToken, Task<string>> run,
        bool whatIf = false)
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
                var input = await Console.In.ReadToEndAsync(token).ConfigureAwait(false);
                var output = await run(input, ChangeOutput.Context(parse.GetValue(root)!), whatIfOption is not null && parse.GetValue(whatIfOption), token).ConfigureAwait(false);
                stdout.WriteLine(output);
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
