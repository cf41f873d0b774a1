// FloorApp parse ARGS...  parses ARGS with the options of 'usernstools status' and does nothing else.
// FloorApp probe          starts 'unshare --user true' the way the probes do (argv list, output read) and waits.
// FloorApp both ARGS...   both: the floor of a cold 'usernstools status' before any fact is read or any output written.
using System.CommandLine;
using System.Diagnostics;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: FloorApp parse|probe|both [status options]");
    return 64;
}

var mode = args[0];
var rest = args[1..];
var parse = mode is "parse" or "both";
var probe = mode is "probe" or "both";
if (!parse && !probe)
{
    Console.Error.WriteLine($"FloorApp: unknown mode '{mode}'");
    return 64;
}

return parse ? Parse(rest, probe) : Probe();

static int Parse(string[] args, bool probe)
{
    var user = new Option<string?>("--user", "-u");
    var json = new Option<bool>("--json");
    var from = new Option<string?>("--from");
    var noProbe = new Option<bool>("--no-probe");
    var timeout = new Option<double>("--timeout") { DefaultValueFactory = _ => 5 };
    var status = new Command("status") { user, json, from, noProbe, timeout };
    status.SetAction(async (result, cancellationToken) =>
    {
        _ = result.GetValue(user);
        _ = result.GetValue(json);
        _ = result.GetValue(timeout);
        return probe ? await Task.Run(Probe, cancellationToken).ConfigureAwait(false) : 0;
    });
    var root = new RootCommand("floor") { status };
    return root.Parse(args).InvokeAsync().GetAwaiter().GetResult();
}

static int Probe()
{
    var psi = new ProcessStartInfo("unshare")
    {
        UseShellExecute = false,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        RedirectStandardInput = true,
    };
    psi.ArgumentList.Add("--user");
    psi.ArgumentList.Add("true");
    using var process = Process.Start(psi)!;
    process.StandardInput.Close();
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    process.WaitForExit();
    Task.WaitAll(output, error);
    return process.ExitCode;
}
