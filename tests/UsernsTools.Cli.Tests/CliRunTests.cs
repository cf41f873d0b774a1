using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Xunit;

namespace UsernsTools.Tests.Cli;

/// <summary><c>usernstools run</c> and <c>usernstools ns</c> as a shell script uses them: real processes on the real kernel.</summary>
public class CliRunTests
{
    private static readonly string[] NobodyWrapper = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups" };

    [KernelFact("unshare", "setpriv", RequiresUnprivilegedUserns = true)]
    public void MapRootMakesTheCallerRoot()
    {
        var result = Cli.Run("run", "--map-root", "--", "id", "-u");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("0\n", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [KernelFact("unshare", "setpriv", RequiresUnprivilegedUserns = true)]
    public void ANewPidNamespaceStartsAtOne()
    {
        var result = Cli.Run("run", "--ns", "pid", "--map-root", "--", "sh", "-c", "echo $$");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("1\n", result.Stdout);
    }

    [KernelTheory("unshare", "setpriv")]
    [InlineData("exit 0", 0)]
    [InlineData("exit 7", 7)]
    [InlineData("exit 255", 255)]
    [InlineData("kill -TERM $$", 128 + 15)]
    [InlineData("kill -KILL $$", 128 + 9)]
    public void ExitsWithTheProgramsCodeOr128PlusTheSignal(string script, int expected)
    {
        var result = Cli.Run("run", "--map-root", "--", "sh", "-c", script);
        Assert.Equal(expected, result.ExitCode);
    }

    [KernelFact("unshare", "setpriv")]
    public void ArgumentsArriveByteForByte()
    {
        string[] words = { "a b", "it's", "\"double\"", "$(id -u)", "`id`", "a;echo b", "x\ny", "", "*", "~", "@file", "--", "-u", "ünï" };
        var args = new List<string> { "run", "--map-root", "--", "printf", "[%s]" };
        args.AddRange(words);
        var result = Cli.Run(args.ToArray());
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Concat(words.Select(w => "[" + w + "]")), result.Stdout);
    }

    /// <summary>Each argument of a shell run inside, as hex bytes, one line per argument.</summary>
    private const string HexOfEachArgument = "for a; do printf %s \"$a\" | od -An -tx1 -v | tr -d ' \\n'; echo; done";

    [KernelTheory("unshare", "bwrap", "setpriv", "od")]
    [InlineData("unshare")]
    [InlineData("bwrap")]
    public void AnArgumentThatIsNotUtf8ArrivesUnchanged(string backend)
    {
        // Latin-1 "café", bytes that are no text at all, and a plain word after them: the test host passes strings, so
        // a shell puts the raw bytes into usernstools' argv.
        string[] wrapper = { "sh", "-c", "exec \"$@\" \"$(printf 'caf\\351')\" \"$(printf '\\377\\376')\" plain", "sh" };
        var result = Cli.RunWrapped(wrapper, null, "run", "--backend", backend, "--", "sh", "-c", HexOfEachArgument, "sh");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("636166e9\nfffe\n706c61696e\n", result.Stdout);
    }

    [KernelTheory("unshare", "bwrap", "setpriv", "od")]
    [InlineData("unshare")]
    [InlineData("bwrap")]
    public void AnInheritedVariableThatIsNotUtf8ArrivesUnchanged(string backend)
    {
        string[] wrapper = { "sh", "-c", "USERNSTOOLS_LATIN1=\"$(printf 'caf\\351')\" exec \"$@\"", "sh" };
        var value = Cli.RunWrapped(wrapper, null, "run", "--backend", backend, "--", "sh", "-c", "printf %s \"$USERNSTOOLS_LATIN1\" | od -An -tx1 -v | tr -d ' \\n'");
        Assert.True(value.ExitCode == 0, value.Stderr);
        Assert.Equal("636166e9", value.Stdout);

        // Set explicitly, or cleared, it is replaced as asked.
        var replaced = Cli.RunWrapped(wrapper, null, "run", "--backend", backend, "--env", "USERNSTOOLS_LATIN1=café", "--", "printenv", "USERNSTOOLS_LATIN1");
        Assert.True(replaced.ExitCode == 0, replaced.Stderr);
        Assert.Equal("café\n", replaced.Stdout);
        var cleared = Cli.RunWrapped(wrapper, null, "run", "--backend", backend, "--clear-env", "--", "/usr/bin/env");
        Assert.True(cleared.ExitCode == 0, cleared.Stderr);
        Assert.DoesNotContain("USERNSTOOLS_LATIN1", cleared.Stdout, StringComparison.Ordinal);
    }

    [KernelTheory("unshare", "bwrap", "setpriv", "od")]
    [InlineData("unshare", false)]
    [InlineData("bwrap", false)]
    [InlineData("unshare", true)]
    public void AVariableSetWithBytesThatAreNotUtf8ArrivesUnchanged(string backend, bool joined)
    {
        // The shell puts the raw bytes of "V=caf\xe9" where the command line says @RAW@: --env V=... or --env=V=....
        string[] wrapper =
        {
            "sh", "-c",
            "raw=\"$(printf 'USERNSTOOLS_SET=caf\\351')\"; for a; do shift; case \"$a\" in @RAW@) set -- \"$@\" \"$raw\" ;; --env=@RAW@) set -- \"$@\" \"--env=$raw\" ;; *) set -- \"$@\" \"$a\" ;; esac; done; exec \"$@\"",
            "sh",
        };
        string[] env = joined ? new[] { "--env=@RAW@" } : new[] { "--env", "@RAW@" };
        var args = new List<string> { "run", "--backend", backend };
        args.AddRange(env);
        args.AddRange(new[] { "--env", "USERNSTOOLS_PLAIN=ünï", "--", "sh", "-c", "printf %s \"$USERNSTOOLS_SET\" | od -An -tx1 -v | tr -d ' \\n'; echo; printf %s \"$USERNSTOOLS_PLAIN\"" });

        var result = Cli.RunWrapped(wrapper, null, args.ToArray());

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("636166e9\nünï", result.Stdout);
    }

    [KernelFact("unshare", "setpriv")]
    public void ANewUserNamespaceWhereTheyAreOffIsRefusedWithWhyAndExit69()
    {
        // Without the check unshare said "unshare failed: No space left on device" and exited 1, as the program may.
        var result = Cli.RunWrapped(Cli.NoUserNamespaces, null, "run", "--map-root", "--", "id");

        Assert.True(result.ExitCode == 69, result.Stdout + result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.StartsWith("usernstools: User namespaces are turned off here (user.max_user_namespaces = 0), and this run needs one.", result.Stderr, StringComparison.Ordinal);

        // Its root needs none for a run that asks for no user namespace: the pid namespace that holds the tree is root's own.
        var plain = Cli.RunWrapped(Cli.NoUserNamespaces, null, "run", "--", "id", "-u");
        Assert.True(plain.ExitCode == 0, plain.Stdout + plain.Stderr);
        Assert.Equal("0\n", plain.Stdout);
    }

    [KernelFact("unshare", "setpriv")]
    public void StdinPassesThrough()
    {
        const string input = "one\ntwo $(x)\n\nlast line without newline";
        var result = RunWithInput(input, "run", "--map-root", "--", "cat");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(input, result.Stdout);
    }

    [KernelFact("unshare", "setpriv")]
    public void StderrPassesThroughSeparately()
    {
        var result = Cli.Run("run", "--map-root", "--", "sh", "-c", "echo out; echo err >&2");
        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
    }

    [KernelFact("unshare", "setpriv")]
    public void DryRunPrintsTheArgvAndRunsNothing()
    {
        var marker = Path.Combine(Path.GetTempPath(), "usernstools-dry-run-" + Guid.NewGuid().ToString("N"));
        var result = Cli.Run("run", "--dry-run", "--map-root", "--ns", "pid", "--", "touch", marker);
        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Contains(lines, l => l.EndsWith("/unshare", StringComparison.Ordinal));
        Assert.Contains("--map-root-user", lines);
        Assert.Contains("--pid", lines);
        Assert.Equal(new[] { "touch", marker }, lines[^2..]);
        Assert.False(File.Exists(marker), "--dry-run ran the program");
    }

    [KernelFact("unshare", "setpriv")]
    public void DryRunWithJsonIsTheArgvArray()
    {
        var result = Cli.Run("run", "--dry-run", "--json", "--map-root", "--", "printf", "%s", "a\nb");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var argv = json.RootElement.EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(new[] { "printf", "%s", "a\nb" }, argv[^3..]);
        Assert.Contains("--map-root-user", argv);
    }

    [KernelFact("unshare", "setpriv")]
    public void DryRunTextShowsOneWordPerLineWithControlCharactersEscaped()
    {
        var result = Cli.Run("run", "--dry-run", "--map-root", "--", "printf", "%s", "a\nb\u001b]0;title\u0007");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(new[] { "printf", "%s", "a\\nb\\e]0;title\\x07" }, lines[^3..]);
    }

    [KernelFact("unshare", "setpriv")]
    public void JsonCapturesTheOutputIntoTheResult()
    {
        var result = RunWithInput("in\n", "run", "--json", "--map-root", "--", "sh", "-c", "cat; echo oops >&2; exit 3");
        Assert.Equal(3, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("exitCode").GetInt32());
        Assert.False(root.GetProperty("timedOut").GetBoolean());
        Assert.Equal("Unshare", root.GetProperty("backend").GetString());
        Assert.Equal(new[] { "in" }, root.GetProperty("stdout").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(new[] { "oops" }, root.GetProperty("stderr").EnumerateArray().Select(e => e.GetString()));
    }

    [KernelFact("unshare", "setpriv")]
    public void TimeoutKillsTheWholeTreeQuickly()
    {
        var marker = "1000." + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);
        var watch = Stopwatch.StartNew();
        var result = Cli.Run("run", "--timeout", "1", "--", "sh", "-c", $"sleep {marker} & sleep {marker}");
        watch.Stop();
        Assert.Equal(124, result.ExitCode);
        Assert.Contains("timeout", result.Stderr, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
        var left = ProcessesWith(marker);
        foreach (var pid in left)
        {
            KillQuietly(pid);
        }

        Assert.Empty(left);
    }

    [KernelFact("unshare", "setpriv", "nsenter", RequiresUnprivilegedUserns = true)]
    public void TimeoutSparesAProcessWhoseNamespaceTheProgramEntered()
    {
        // A process the run did not start, in a user namespace of its own; the program enters that namespace.
        var marker = "1000." + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);
        using var outside = Process.Start(new ProcessStartInfo("unshare") { ArgumentList = { "--user", "--map-root-user", "sleep", marker } })!;
        try
        {
            Assert.True(WaitFor(() => ProcessesWith(marker).Where(p => Comm(p) == "sleep").ToList(), TimeSpan.FromSeconds(20)).Count == 1);
            var target = outside.Id.ToString(CultureInfo.InvariantCulture);
            var result = Cli.Run("run", "--timeout", "1", "--", "nsenter", "-t", target, "-U", "--preserve-credentials", "sleep", "100");
            Assert.Equal(124, result.ExitCode);
            Assert.False(outside.HasExited, "the timeout killed a process the run never started");
            Assert.Single(ProcessesWith(marker));
        }
        finally
        {
            KillQuietly(outside.Id);
        }
    }

    [KernelFact("unshare", "setpriv")]
    public void SigintForUsernstoolsAloneIsLeftToTheProgram()
    {
        // Ctrl+C from a terminal reaches the whole foreground group; a SIGINT for usernstools alone must not end the sandbox.
        using var process = Start("run", "--map-root", "--", "sh", "-c", "sleep 2; echo finished");
        var stdout = process.StandardOutput.ReadToEndAsync();
        Thread.Sleep(1000);
        Signal("INT", process.Id.ToString(CultureInfo.InvariantCulture));
        Assert.True(process.WaitForExit(20_000));
        Assert.Equal(0, process.ExitCode);
        Assert.Equal("finished\n", stdout.Result);
    }

    [KernelFact("unshare", "setpriv", "setsid")]
    public void CtrlCInTheForegroundGroupEndsTheProgramItself()
    {
        var marker = "1000." + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);
        using var process = Start(new[] { "setsid" }, "run", "--map-root", "--", "sleep", marker);
        Assert.True(WaitFor(() => ProcessesWith(marker).Where(p => Comm(p) == "sleep").ToList(), TimeSpan.FromSeconds(20)).Count == 1);
        Signal("INT", "-" + process.Id.ToString(CultureInfo.InvariantCulture));
        Assert.True(process.WaitForExit(10_000), "the run did not end after Ctrl+C");
        Assert.Equal(128 + 2, process.ExitCode);

        // Processes the kernel ends with their pid namespace may take a moment to leave the process table.
        var gone = WaitFor(() => ProcessesWith(marker).Count == 0 ? new List<int> { 0 } : new List<int>(), TimeSpan.FromSeconds(5)).Count == 1;
        Assert.True(gone, "a process of the run outlived Ctrl+C: " + string.Join(", ", ProcessesWith(marker).Select(Comm)));
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [InlineData("unshare")]
    [InlineData("bwrap")]
    public void SigkillOfUsernstoolsTakesTheProgramsBackgroundChildrenToo(string backend)
    {
        // Nothing in usernstools runs after SIGKILL: the kernel must end the tree, through the run's own pid namespace.
        var marker = "1000." + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);
        using var process = Start("run", "--backend", backend, "--", "sh", "-c", $"sleep {marker} & echo started; wait");
        try
        {
            Assert.Equal("started", process.StandardOutput.ReadLine());
            Assert.Single(WaitFor(() => ProcessesWith(marker).Where(p => Comm(p) == "sleep").ToList(), TimeSpan.FromSeconds(20)));
            Signal("KILL", process.Id.ToString(CultureInfo.InvariantCulture));
            Assert.True(process.WaitForExit(10_000));
            var gone = WaitFor(() => ProcessesWith(marker).Count == 0 ? new List<int> { 0 } : new List<int>(), TimeSpan.FromSeconds(5)).Count == 1;
            Assert.True(gone, "a background child of the program outlived the SIGKILLed usernstools");
        }
        finally
        {
            foreach (var pid in ProcessesWith(marker))
            {
                KillQuietly(pid);
            }
        }
    }

    [KernelFact("unshare", "setpriv")]
    public void NoPidNsLeavesTheProgramAmongTheCallersProcesses()
    {
        // The documented way out: the program sees the caller's pids (and its background children can then escape a SIGKILL).
        var contained = Cli.Run("run", "--", "sh", "-c", "echo $$");
        Assert.True(contained.ExitCode == 0, contained.Stderr);
        Assert.Equal("2\n", contained.Stdout);
        var shared = Cli.Run("run", "--no-pid-ns", "--", "sh", "-c", "echo $$");
        Assert.True(shared.ExitCode == 0, shared.Stderr);
        Assert.NotEqual("2\n", shared.Stdout);
        Assert.Equal(64, Cli.Run("run", "--no-pid-ns", "--ns", "pid", "--", "true").ExitCode);
    }

    [KernelFact("unshare", "setpriv")]
    public void SigtermKillsTheSandboxAndExits143()
    {
        var marker = "1000." + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);
        using var process = Start("run", "--map-root", "--ns", "pid", "--", "sh", "-c", $"sleep {marker} & sleep {marker}");
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(WaitFor(() => ProcessesWith(marker).Where(p => Comm(p) == "sleep").ToList(), TimeSpan.FromSeconds(20)).Count >= 1);
        var watch = Stopwatch.StartNew();
        Signal("TERM", process.Id.ToString(CultureInfo.InvariantCulture));
        Assert.True(process.WaitForExit(10_000));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(128 + 15, process.ExitCode);
        Assert.Contains("signal 15", stderr.Result, StringComparison.Ordinal);
        var left = ProcessesWith(marker);
        foreach (var pid in left)
        {
            KillQuietly(pid);
        }

        Assert.Empty(left);
    }

    [KernelFact("unshare", "setpriv")]
    public void BadOptionsAreOneLineAndExit64()
    {
        foreach (var args in new[]
        {
            new[] { "run", "--map-root", "--map-auto", "--", "id" },
            new[] { "run", "--ns", "nosuchkind", "--", "id" },
            new[] { "run", "--bind", ":/x", "--", "id" },
            new[] { "run", "--env", "NOEQUALS", "--", "id" },
            new[] { "run", "--map-user", "abc", "--", "id" },
            new[] { "run", "--backend", "docker", "--", "id" },
        })
        {
            var result = Cli.Run(args);
            Assert.True(result.ExitCode == 64, $"{string.Join(' ', args)}: exit {result.ExitCode}, {result.Stderr}");
            Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
            Assert.Equal("", result.Stdout);
        }
    }

    [KernelFact("unshare", "setpriv")]
    public void WhatCannotBeFoundIsOneLineBeforeAnythingStarts()
    {
        var missing = "/usernstools-missing-" + Guid.NewGuid().ToString("N");
        using var root = new TestRoot();
        root.WithFile("/data.txt", "not a program\n");
        foreach (var (args, exit, id) in new[]
        {
            (new[] { "run", "--map-root", "--", "usernstools-no-such-program" }, 127, "ProgramNotFound"),

            // As the shells say 126 for it, whichever backend would have run it (flock's exit was 69, bwrap's 1).
            (new[] { "run", "--", root.Full("/data.txt") }, 126, "ProgramNotExecutable"),
            (new[] { "run", "--backend", "bwrap", "--", root.Full("/data.txt") }, 126, "ProgramNotExecutable"),

            // A directory exists and cannot be executed: the shells' 126, not 127 for a missing program.
            (new[] { "run", "--", "/tmp" }, 126, "ProgramNotExecutable"),
            (new[] { "run", "--workdir", root.Full("/data.txt"), "--", "true" }, 66, "WorkingDirectoryNotFound"),
            (new[] { "run", "--map-root", "--workdir", missing, "--", "true" }, 66, "WorkingDirectoryNotFound"),
            (new[] { "run", "--map-root", "--bind", missing + ":/mnt", "--", "true" }, 66, "BindMountSourceNotFound"),
        })
        {
            var result = Cli.Run(args);
            Assert.True(result.ExitCode == exit, $"{string.Join(' ', args)}: exit {result.ExitCode}, {result.Stderr}");
            var line = Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
            Assert.StartsWith("usernstools: ", line, StringComparison.Ordinal);
            Assert.EndsWith($"[{id}]", line, StringComparison.Ordinal);
        }
    }

    [KernelFact("bwrap", "setpriv", RequiresUnprivilegedUserns = true)]
    public void ABindTargetMissingOnAWritableRootIsRefusedAndNotLeftOnTheHost()
    {
        var target = Path.Combine(Path.GetTempPath(), "usernstools-cli-mountpoint-" + Guid.NewGuid().ToString("N"));
        var result = Cli.Run("run", "--bind", "/tmp:" + target, "--", "true");

        Assert.True(result.ExitCode == 64, result.Stderr);
        var line = Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.EndsWith("[BindMountTargetOnHost]", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target) || File.Exists(target), "the mount point was left on the host");
    }

    [KernelFact("unshare", "setpriv", RequiresRoot = true)]
    public void TheAutomaticMappingWithoutSubordinateIdsIsRefusedBeforeAnythingStarts()
    {
        // unshare said "no line matching user "root" in /etc/subuid: Success" and exited 1, which a program may too.
        static bool Listed(string file) => File.Exists(file)
            && File.ReadLines(file).Any(l => l.Split(':')[0] is "root" or "0");
        var result = Cli.Run("run", "--map-auto", "--", "true");

        if (Listed("/etc/subuid") && Listed("/etc/subgid"))
        {
            Assert.DoesNotContain("SubordinateIdsMissing", result.Stderr, StringComparison.Ordinal);
            return;
        }

        Assert.True(result.ExitCode == 69, result.Stderr);
        var line = Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("usernstools: The automatic mapping (run --map-auto, Invoke-NamespacedProcess -MapAuto) needs a range for root", line, StringComparison.Ordinal);
        Assert.EndsWith("[SubordinateIdsMissing]", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Success", line, StringComparison.Ordinal);
    }

    [KernelFact("bwrap", "setpriv", RequiresUnprivilegedUserns = true)]
    public void ReadOnlyRootBindsOntoAPathTheHostLacks()
    {
        var source = Directory.CreateTempSubdirectory("usernstools-cli-bind-");
        var target = "/usernstools-missing-" + Guid.NewGuid().ToString("N");
        try
        {
            var result = Cli.Run("run", "--ro-root", "--bind", source.FullName + ":" + target, "--workdir", target, "--", "sh", "-c", "echo inside > file && pwd");
            Assert.True(result.ExitCode == 0, result.Stderr);
            Assert.Equal(target + "\n", result.Stdout);
            Assert.Equal("inside\n", File.ReadAllText(Path.Combine(source.FullName, "file")));
            Assert.False(Directory.Exists(target));
        }
        finally
        {
            source.Delete(recursive: true);
        }
    }

    [KernelFact("unshare", "setpriv", RequiresRoot = true, RequiresUnprivilegedUserns = true)]
    public void NobodyRunsRootlessThroughSetpriv()
    {
        var result = Cli.RunWrapped(NobodyWrapper, null, "run", "--map-root", "--ns", "pid", "--", "sh", "-c", "echo $(id -u) $$");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("0 1\n", result.Stdout);
    }

    [KernelFact("bwrap", "unshare")]
    public void MountProcUnderBwrapFailsInAMaskedProcAsTheProcProbeSays()
    {
        var run = Cli.RunWrapped(KernelRecipes.MaskedProc, null, "run", "--backend", "bwrap", "--map-root", "--ns", "pid", "--mount-proc", "--", "true");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("bwrap: Can't mount proc on /newroot/proc: Operation not permitted", run.Stderr, StringComparison.Ordinal);

        // The Proc probe runs what --mount-proc runs, so it fails in the same place rather than reading "ok".
        var probes = Cli.RunWrapped(KernelRecipes.MaskedProc, null, "test-bwrap", "--json");
        using var json = JsonDocument.Parse(probes.Stdout);
        var proc = json.RootElement.EnumerateArray().Single(p => p.GetProperty("mode").GetString() == "Proc");
        Assert.Equal("ProcMountDenied", proc.GetProperty("errorKind").GetString());

        // What the remediation offers where the sandbox allows it: the same run without a new procfs works.
        var withoutProc = Cli.RunWrapped(KernelRecipes.MaskedProc, null, "run", "--backend", "bwrap", "--map-root", "--ns", "pid", "--", "true");
        Assert.True(withoutProc.ExitCode == 0, withoutProc.Stderr);
    }

    [Theory]
    [InlineData("5000000")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e30")]
    [InlineData("0")]
    [InlineData("-1")]
    public void AnUnusableTimeoutIsRefusedBeforeTheProgramStarts(string timeout)
    {
        var directory = Directory.CreateTempSubdirectory("usernstools-timeout-");
        try
        {
            var marker = Path.Combine(directory.FullName, "started");
            var result = Cli.Run("run", "--timeout", timeout, "--", "touch", marker);
            Assert.Equal(64, result.ExitCode);
            Assert.False(File.Exists(marker), "the program ran although its timeout was refused");
            Assert.Contains("--timeout must be more than 0", result.Stderr, StringComparison.Ordinal);
            Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("status", "NaN")]
    [InlineData("status", "1e30")]
    [InlineData("test-userns", "Infinity")]
    [InlineData("test-bwrap", "7200")]
    public void AnUnusableProbeTimeoutExits64(string command, string timeout)
    {
        var result = Cli.Run(command, "--timeout", timeout);
        Assert.Equal(64, result.ExitCode);
        Assert.Contains("--timeout must be more than 0", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void NsShowsItselfInTheInitialNamespacesOfItsCaller()
    {
        var result = Cli.Run("ns", "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal("None", root.GetProperty("isolatedFrom").GetString());
        var ours = new FileInfo("/proc/self/ns/pid").LinkTarget!;
        Assert.Equal(ours, $"pid:[{root.GetProperty("pidNamespace").GetInt64()}]");
    }

    [Fact]
    public void NsOfAMissingProcessExits66()
    {
        var result = Cli.Run("ns", "999999999");
        Assert.Equal(66, result.ExitCode);
        Assert.Contains("ProcessNotFound", result.Stderr, StringComparison.Ordinal);
    }

    [KernelFact("unshare", "setpriv", RequiresUnprivilegedUserns = true)]
    public void NsSeesASandboxedProcessIsolated()
    {
        var marker = "1000." + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);
        using var background = Start("run", "--map-root", "--ns", "pid,net", "--timeout", "60", "--", "sleep", marker);
        try
        {
            var sleeper = WaitFor(() => ProcessesWith(marker).Where(p => Comm(p) == "sleep").ToList(), TimeSpan.FromSeconds(20));
            Assert.True(sleeper.Count == 1, "the sandboxed sleep did not start");
            var result = Cli.Run("ns", sleeper[0].ToString(CultureInfo.InvariantCulture), "--json");
            Assert.Equal(0, result.ExitCode);
            using var json = JsonDocument.Parse(result.Stdout);
            var isolated = json.RootElement.GetProperty("isolatedFrom").GetString()!.Split(", ");
            Assert.Subset(isolated.ToHashSet(), new HashSet<string> { "User", "Pid", "Net" });
            Assert.DoesNotContain("Uts", isolated);
            Assert.False(json.RootElement.GetProperty("isInitialUserNamespace").GetBoolean());

            var text = Cli.Run("ns", sleeper[0].ToString(CultureInfo.InvariantCulture));
            Assert.Contains("(isolated)", text.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            // Killing usernstools is enough: the sandbox has a parent-death signal.
            background.Kill();
            background.WaitForExit();
        }

        Assert.True(WaitFor(() => ProcessesWith(marker).Count == 0 ? new List<int> { 0 } : new List<int>(), TimeSpan.FromSeconds(10)).Count == 1,
            "the sandbox outlived the usernstools that started it");
    }

    private static CliResult RunWithInput(string input, params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("usernstools did not finish: " + string.Join(' ', args));
        }

        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static Process Start(params string[] args) => Start(Array.Empty<string>(), args);

    /// <summary>Starts <c>wrapper... dotnet usernstools.dll args...</c> with every stream redirected.</summary>
    private static Process Start(IReadOnlyList<string> wrapper, params string[] args)
    {
        var psi = new ProcessStartInfo(wrapper.Count > 0 ? wrapper[0] : Cli.Dotnet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in wrapper.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        if (wrapper.Count > 0)
        {
            psi.ArgumentList.Add(Cli.Dotnet);
        }

        psi.ArgumentList.Add(Cli.Dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["LC_ALL"] = "C";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return Process.Start(psi)!;
    }

    /// <summary>Sends a signal with kill(1), which also reaches a process group ("-PGID").</summary>
    private static void Signal(string name, string target)
    {
        var psi = new ProcessStartInfo(Prerequisites.FindTool("kill") ?? "/bin/kill") { UseShellExecute = false };
        foreach (var a in new[] { "-s", name, "--", target })
        {
            psi.ArgumentList.Add(a);
        }

        using var kill = Process.Start(psi)!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static List<int> WaitFor(Func<List<int>> find, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var found = find();
            if (found.Count > 0 || DateTime.UtcNow > deadline)
            {
                return found;
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>Live processes whose command line contains <paramref name="marker"/>.</summary>
    private static List<int> ProcessesWith(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    private static string? Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void KillQuietly(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }
}
