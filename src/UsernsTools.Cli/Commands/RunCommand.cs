using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using UsernsTools.Display;
using UsernsTools.Platform;
using UsernsTools.Sandbox;
using UsernsTools.Serialization;

namespace UsernsTools.Cli.Commands;

/// <summary>
/// <c>usernstools run [options] -- CMD ARGS...</c>: runs a program in new namespaces. The program gets this
/// command's stdin, stdout and stderr as they are, and its exit code becomes ours.
/// </summary>
internal static class RunCommand
{
    public const string Name = "run";

    private const string Description =
        "Run a program in new namespaces, rootless (util-linux unshare or bubblewrap); put it after '--'. "
        + "Its stdin, stdout and stderr pass through and its exit code becomes usernstools' exit code "
        + "(128+N: killed by signal N; 124: --timeout killed it; 126: the program cannot be executed; 127: the program was not found; "
        + "66: the --workdir or a --bind source does not exist; 64-77: the sandbox could not be set up). "
        + "Ctrl+C goes to the program; SIGTERM, SIGHUP or SIGQUIT to usernstools kill the whole sandbox. "
        + "However it ends, the terminal's foreground process group and settings are put back as they were before it started.";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var ns = new Option<string[]>("--ns")
        {
            Description = "Namespace kinds to create, comma-separated or repeated: user, pid, uts, mount (mnt), ipc, net, cgroup, time. Other options add what they need.",
            Arity = ArgumentArity.OneOrMore,
        };
        var mapRoot = new Option<bool>("--map-root") { Description = "Be root (uid 0, gid 0) inside a new user namespace." };
        var mapCurrent = new Option<bool>("--map-current") { Description = "Keep your uid and gid inside a new user namespace." };
        var mapUser = new Option<long?>("--map-user") { Description = "Be this uid inside a new user namespace.", HelpName = "UID" };
        var mapGroup = new Option<long?>("--map-group") { Description = "With --map-user: be this gid inside (default: the same number).", HelpName = "GID" };
        var mapAuto = new Option<bool>("--map-auto") { Description = "Be root inside, with ids 1 and up from your /etc/subuid and /etc/subgid ranges (newuidmap)." };
        var hostname = new Option<string?>("--hostname") { Description = "Hostname inside a new UTS namespace.", HelpName = "H" };
        var mountProc = new Option<bool>("--mount-proc") { Description = "Mount a fresh /proc (with --ns pid, ps then sees only the sandbox)." };
        var workdir = CommonOptions.NonEmptyPath(
            new Option<string?>("--workdir") { Description = "Directory to start in, as seen inside (default: the current directory).", HelpName = "D" },
            "give the directory to start in, or leave --workdir out for the current one.");
        var env = new Option<string[]>("--env")
        {
            Description = "Set NAME=VALUE inside; repeat for more.",
            HelpName = "NAME=VALUE",
            Arity = ArgumentArity.OneOrMore,
        };
        var clearEnv = new Option<bool>("--clear-env") { Description = "Start from an empty environment (plus --env)." };
        var roRoot = new Option<bool>("--ro-root") { Description = "The host's root read-only, with a fresh /dev (bwrap)." };
        var bind = new Option<string[]>("--bind")
        {
            Description = "Make a host path visible inside: SRC, SRC:DST, optionally followed by :ro (bwrap); repeat for more.",
            HelpName = "SRC[:DST][:ro]",
            Arity = ArgumentArity.OneOrMore,
        };
        var loopback = new Option<bool>("--loopback") { Description = "A new network namespace with only loopback, up (bwrap)." };
        var noPidNs = new Option<bool>("--no-pid-ns")
        {
            Description = "Without --ns pid, leave the program among your processes instead of in a pid namespace of its own "
                + "(the default, which takes every process it started down with usernstools, even on SIGKILL): it then sees "
                + "your pids, but its background children can outlive a SIGKILLed usernstools.",
        };
        var backend = new Option<string>("--backend")
        {
            Description = "The tool that creates the namespaces (default auto: unshare when it can do everything asked, else bwrap).",
            DefaultValueFactory = _ => "auto",
            HelpName = "auto|unshare|bwrap",
        };
        // A validator rather than AcceptOnlyFromAmong, whose message spans several lines: errors are one line.
        backend.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!Enum.TryParse<BackendKind>(value, ignoreCase: true, out _) || int.TryParse(value, out _))
            {
                result.AddError($"--backend must be auto, unshare or bwrap, not '{value}'.");
            }
        });
        var timeout = new Option<double?>("--timeout")
        {
            Description = $"Kill the whole sandbox after S seconds (at most {TimeoutLimits.MaximumRunSeconds}, 30 days) and exit 124.",
            HelpName = "S",
        };
        CommonOptions.ValidateTimeout(timeout, TimeoutLimits.MaximumRunSeconds);
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the backend's argv that would run, one word per line, and run nothing." };
        var json = new Option<bool>("--json")
        {
            Description = "With --dry-run: the argv as a JSON array. Otherwise capture the program's stdout and stderr (stdin still passes "
                + "through, as lines) and print one JSON object at the end: exitCode, signal, timedOut, duration, backend, argv, "
                + "namespaces, processId, and the program's 'stdout' and 'stderr' lines.",
        };
        var program = new Argument<string[]>("command")
        {
            Description = "The program and its arguments, after '--'. They are passed as they are: no shell is involved.",
            Arity = ArgumentArity.OneOrMore,
        };

        var command = new Command(Name, Description)
        {
            ns, mapRoot, mapCurrent, mapUser, mapGroup, mapAuto, hostname, mountProc, workdir, env, clearEnv, roRoot, bind, loopback, noPidNs, backend, timeout,
            dryRun, json, program,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var argv = parse.GetValue(program)!;
            var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
            var rawEnvironment = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var entry in parse.GetValue(env) ?? Array.Empty<string>())
            {
                var (name, value) = RunOptionText.ParseEnvironmentEntry(entry);
                environment[name] = value;

                // As for the program's words: a value that reached .NET as bytes that are not UTF-8 is passed on as those bytes.
                if (value is not null && ProcessBytes.OptionValue("--env", entry) is { } bytes)
                {
                    rawEnvironment[name] = bytes;
                }
                else
                {
                    rawEnvironment.Remove(name);
                }
            }

            var directory = parse.GetValue(workdir);
            var options = new RunOptions
            {
                FilePath = argv[0],
                ArgumentList = argv[1..],

                // Our argv reached .NET as bytes and was decoded, U+FFFD for what is not UTF-8: pass on the bytes themselves.
                RawCommand = ProcessBytes.TrailingArguments(argv),
                RawEnvironment = rawEnvironment.Count > 0 ? rawEnvironment : null,
                Namespaces = RunOptionText.ParseNamespaces(parse.GetValue(ns) ?? Array.Empty<string>()),
                MapRootUser = parse.GetValue(mapRoot),
                MapCurrentUser = parse.GetValue(mapCurrent),
                MapUser = parse.GetValue(mapUser),
                MapGroup = parse.GetValue(mapGroup),
                MapAuto = parse.GetValue(mapAuto),
                Hostname = parse.GetValue(hostname),
                MountProc = parse.GetValue(mountProc),
                WorkingDirectory = directory is null ? null : Path.GetFullPath(directory),
                Environment = environment,
                ClearEnvironment = parse.GetValue(clearEnv),
                ReadOnlyRoot = parse.GetValue(roRoot),
                BindMounts = (parse.GetValue(bind) ?? Array.Empty<string>())
                    .Select(b => RunOptionText.ParseBindMount(b, Environment.CurrentDirectory))
                    .ToList(),
                LoopbackNetwork = parse.GetValue(loopback),
                SharePidNamespace = parse.GetValue(noPidNs),
                Timeout = parse.GetValue(timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                Backend = Enum.Parse<BackendKind>(parse.GetValue(backend)!, ignoreCase: true),
            };
            var spec = options.ToSpec();
            if (parse.GetValue(dryRun))
            {
                var built = await Sandboxes.BuildArgvAsync(spec, cancellationToken).ConfigureAwait(false);
                WriteArgv(stdout, built.Argv, parse.GetValue(json));
                return ExitCodes.Success;
            }

            using var signals = new TerminationSignals();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
            try
            {
                if (!parse.GetValue(json))
                {
                    var result = await Sandboxes.RunAsync(spec, new ProcessIo { Interactive = true }, stop.Token).ConfigureAwait(false);
                    return Finish(result, stderr);
                }

                var output = new List<string>();
                var error = new List<string>();
                var captured = await Sandboxes.RunAsync(
                    spec,
                    new ProcessIo { Input = ReadLines(Console.In), Output = output.Add, Error = error.Add },
                    stop.Token).ConfigureAwait(false);
                WriteCaptured(stdout, captured, output, error);
                return Finish(captured, stderr);
            }
            catch (OperationCanceledException) when (signals.Signal != 0)
            {
                stderr.WriteLine($"usernstools: stopped by signal {signals.Signal}; the sandbox was killed");
                return 128 + signals.Signal;
            }
        });
        return command;
    }

    private static int Finish(NamespacedProcessResult result, TextWriter stderr)
    {
        if (result.TimedOut)
        {
            stderr.WriteLine($"usernstools: the program did not end within the timeout; the sandbox was killed after {result.Duration.TotalSeconds:0.0} s");
            return ExitCodes.TimedOut;
        }

        if (result.StoppedItself)
        {
            stderr.WriteLine("usernstools: the program stopped itself while it owned the terminal, and nothing here can resume it; the sandbox was killed");
        }

        return result.ExitCode;
    }

    private static void WriteArgv(TextWriter stdout, IReadOnlyList<string> argv, bool json)
    {
        if (!json)
        {
            // One word per line: a line break or tab inside a word is shown escaped (--json gives the exact words).
            foreach (var word in argv)
            {
                stdout.WriteLine(TerminalText.Escape(word));
            }

            return;
        }

        var array = new JsonArray(argv.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray());
        WriteNode(stdout, array);
    }

    private static void WriteCaptured(TextWriter stdout, NamespacedProcessResult result, List<string> output, List<string> error)
    {
        var node = JsonSerializer.SerializeToNode(result, UsernsJsonContext.Default.NamespacedProcessResult)!.AsObject();
        node["stdout"] = new JsonArray(output.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray());
        node["stderr"] = new JsonArray(error.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray());
        WriteNode(stdout, node);
    }

    private static void WriteNode(TextWriter stdout, JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            // Plain text for a terminal or jq; nothing here is embedded in HTML.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            node.WriteTo(writer);
        }

        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static IEnumerable<string> ReadLines(TextReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
