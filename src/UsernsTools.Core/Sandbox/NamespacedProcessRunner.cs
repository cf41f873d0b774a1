using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading.Channels;
using UsernsTools.Platform;

namespace UsernsTools.Sandbox;

/// <summary>
/// Runs a <see cref="NamespaceSpec"/>: builds the backend argv, starts it (never through a shell),
/// streams its output lines, feeds its input, and on timeout or cancellation kills everything it
/// started (see <see cref="ProcessTreeKiller"/>) and reaps it before returning.
/// </summary>
internal sealed class NamespacedProcessRunner
{
    private static readonly Encoding s_utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    private static readonly Lazy<Task<SandboxToolFacts>> s_machineTools = new(() => SandboxToolDetector.DetectAsync(CancellationToken.None));

    /// <summary>How long to wait for output to end after the sandbox was killed, in case something unkillable holds the pipe.</summary>
    private static readonly TimeSpan s_drainAfterKill = TimeSpan.FromSeconds(2);

    /// <summary>How long the output may stay open after the tree died before we look for escaped holders.</summary>
    private static readonly TimeSpan s_escapeCheck = TimeSpan.FromMilliseconds(100);

    /// <summary>How often an interactive run looks for a program that stopped itself while it owned the terminal.</summary>
    private static readonly TimeSpan s_stopCheck = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How many checks in a row must find it stopped: a shell inside takes the terminal back from a job that
    /// Ctrl+Z stopped within microseconds, so only a group that stays stopped is stuck.
    /// </summary>
    private const int StoppedChecks = 4;

    private readonly SandboxToolFacts? _tools;

    /// <param name="tools">Tool facts to use; null detects them on this machine's PATH once per process.</param>
    public NamespacedProcessRunner(SandboxToolFacts? tools = null)
    {
        _tools = tools;
    }

    /// <summary>A runner for this machine's tools.</summary>
    public static NamespacedProcessRunner Default { get; } = new();

    public async Task<SandboxToolFacts> GetToolsAsync(CancellationToken cancellationToken) =>
        _tools ?? await s_machineTools.Value.WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The argv a run would start (-WhatIf, --dry-run); validates the spec and the backend's version, and checks
    /// on the host that the program, the working directory and the bind sources exist (<see cref="SandboxPreflight"/>).
    /// </summary>
    public async Task<SandboxCommand> BuildArgvAsync(NamespaceSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var tools = await GetToolsAsync(cancellationToken).ConfigureAwait(false);
        var command = BackendSelector.BuildArgv(spec, tools);
        SandboxPreflight.Check(spec, tools);
        return command;
    }

    /// <summary>
    /// Runs the spec with callbacks for its streams. Returns when the program and everything holding its
    /// output have ended. A timeout returns a result with TimedOut; cancellation kills the sandbox, reaps
    /// it, then throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<NamespacedProcessResult> RunAsync(NamespaceSpec spec, ProcessIo io, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(io);
        var command = await BuildArgvAsync(spec, cancellationToken).ConfigureAwait(false);
        SandboxPreflight.CheckUserNamespace(spec, command, await GetToolsAsync(cancellationToken).ConfigureAwait(false));
        return await RunAsync(command, spec, io.Input, ToSink(io.Output), ToSink(io.Error), io.Started, io.Interactive, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts the spec and returns at once: lines arrive on <see cref="SandboxRun.Events"/> (output waits
    /// while the reader is behind, like a pipe), stdin is fed by <see cref="SandboxRun.WriteInput"/> when
    /// <paramref name="writableInput"/>, else closed at once. Spec and backend errors throw here.
    /// </summary>
    public async Task<SandboxRun> StartAsync(NamespaceSpec spec, bool writableInput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var command = await BuildArgvAsync(spec, cancellationToken).ConfigureAwait(false);
        SandboxPreflight.CheckUserNamespace(spec, command, await GetToolsAsync(cancellationToken).ConfigureAwait(false));
        var events = Channel.CreateBounded<SandboxEvent>(new BoundedChannelOptions(256)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var input = writableInput ? new BlockingCollection<string>() : null;
        var completion = Task.Run(
            async () =>
            {
                try
                {
                    return await RunAsync(
                        command,
                        spec,
                        input?.GetConsumingEnumerable(stop.Token),
                        (line, token) => events.Writer.WriteAsync(SandboxEvent.ForOutput(line), token),
                        (line, token) => events.Writer.WriteAsync(SandboxEvent.ForError(line), token),
                        started: null,
                        interactive: false,
                        stop.Token).ConfigureAwait(false);
                }
                finally
                {
                    events.Writer.TryComplete();
                }
            },
            CancellationToken.None);
        return new SandboxRun(events, input, stop, completion);
    }

    /// <summary>Starts a built command. Sinks get a token that is cancelled when the run is being stopped.</summary>
    internal static async Task<NamespacedProcessResult> RunAsync(
        SandboxCommand command,
        NamespaceSpec spec,
        IEnumerable<string>? input,
        Func<string, CancellationToken, ValueTask>? output,
        Func<string, CancellationToken, ValueTask>? error,
        Action<int>? started,
        bool interactive,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(spec);
        // Disposed last, after the sandbox was reaped on every path: the caller gets its terminal back before this returns.
        using var terminal = interactive ? TerminalGuard.Capture() : null;
        var environment = FinalEnvironment(spec);
        var stopwatch = Stopwatch.StartNew();
        IChildProcess process;
        try
        {
            if (ByteWords(command, spec, environment) is { } words)
            {
                // A word that is not UTF-8 cannot pass through Process, which encodes strings: start from the bytes.
                BytesChildProcess? spawned = null;
                await ProcessSpawner.StartAsync(() => spawned = BytesChildProcess.Start(words.Argv, words.Envp, command.StartDirectory, redirect: !interactive))
                    .ConfigureAwait(false);
                process = spawned!;
            }
            else
            {
                var dotnet = new Process { StartInfo = CreateStartInfo(command, environment, interactive) };
                process = new DotnetChildProcess(dotnet);
                try
                {
                    await ProcessSpawner.StartAsync(dotnet).ConfigureAwait(false);
                }
                catch
                {
                    process.Dispose();
                    throw;
                }
            }
        }
        catch (Win32Exception ex)
        {
            throw new UsernsException(
                SandboxErrorIds.StartFailed,
                UsernsErrorCategory.NotInstalled,
                $"Could not start {command.Argv[0]}: {ex.Message}",
                command.Argv[0],
                ex);
        }

        using (process)
        {
            try
            {
                return await WaitAsync(process, command, spec, input, output, error, started, terminal, interactive, stopwatch, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Process.Dispose leaves the streams it handed out open: close our ends of the pipes on every path.
                if (!interactive)
                {
                    CloseStreams(process);
                }
            }
        }
    }

    private static async Task<NamespacedProcessResult> WaitAsync(
        IChildProcess process,
        SandboxCommand command,
        NamespaceSpec spec,
        IEnumerable<string>? input,
        Func<string, CancellationToken, ValueTask>? output,
        Func<string, CancellationToken, ValueTask>? error,
        Action<int>? started,
        TerminalGuard? terminal,
        bool interactive,
        Stopwatch stopwatch,
        CancellationToken cancellationToken)
    {
        var pid = process.Id;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (spec.Timeout is { } timeout)
        {
            stop.CancelAfter(timeout);
        }

        // The pipes we gave it, named by our own read ends (the same pipe inode): later they find children that escaped
        // the tree. Reading the child's /proc/PID/fd instead races with setpriv and the backend exec'ing.
        var pipes = interactive ? new List<string>() : new[] { OwnPipe(process.StandardOutput), OwnPipe(process.StandardError) }.OfType<string>().ToList();
        ExceptionDispatchInfo? failure = null;
        void Fail(Exception ex)
        {
            Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(ex), null);
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run is already over (input that failed after the program exited).
            }
        }

        var lostSigkill = false;
        if (command.Backend == BackendKind.Unshare)
        {
            var forward = error;
            error = (line, token) =>
            {
                lostSigkill |= UnshareExitQuirk.IsLostSigkill(line);
                return forward is null ? ValueTask.CompletedTask : forward(line, token);
            };
        }

        var pumps = Task.CompletedTask;
        try
        {
            started?.Invoke(pid);
            if (!interactive)
            {
                StartInput(process.StandardInput, input, Fail, stop.Token);
                pumps = Task.WhenAll(
                    PumpAsync(process.StandardOutput, output, Fail, stop.Token),
                    PumpAsync(process.StandardError, error, Fail, stop.Token));
            }
        }
#pragma warning disable CA1031 // A failing callback must still end the sandbox; rethrown below.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(ex);
        }

        var stoppedItself = false;
        using var endWatch = new CancellationTokenSource();
        var watch = terminal is null
            ? Task.CompletedTask
            : WatchForStopAsync(
                terminal,
                () =>
                {
                    stoppedItself = true;
                    stop.Cancel();
                },
                endWatch.Token);
        var killed = false;
        try
        {
            await process.WaitForExitAsync(stop.Token).ConfigureAwait(false);
            await pumps.WaitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            killed = true;
            ProcessTreeKiller.KillTree(process.HasExited ? null : pid, command.Namespaces);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            if (pipes.Count > 0 && !await EndsWithinAsync(pumps, s_escapeCheck).ConfigureAwait(false))
            {
                // Output is still open: something outside the tree holds it (a reparented background child).
                ProcessTreeKiller.KillPipeHolders(pipes);
            }

            await EndsWithinAsync(pumps, s_drainAfterKill).ConfigureAwait(false);
        }
        finally
        {
            // Before the terminal is given back and closed.
            await endWatch.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(false);
        }

        stopwatch.Stop();
        failure?.Throw();
        cancellationToken.ThrowIfCancellationRequested();
        var exitCode = process.ExitCode;
        if (lostSigkill && exitCode == 1 && !killed)
        {
            exitCode = UnshareExitQuirk.SigkillExitCode;
        }

        return new NamespacedProcessResult
        {
            ExitCode = exitCode,
            Signal = exitCode is > 128 and <= 128 + 64 ? exitCode - 128 : null,
            TimedOut = killed && !stoppedItself,
            StoppedItself = stoppedItself,
            Duration = stopwatch.Elapsed,
            Backend = command.Backend,
            Argv = command.Argv,
            Namespaces = command.Namespaces,
            ProcessId = pid,
        };
    }

    /// <summary>
    /// Calls <paramref name="stuck"/> once when a program in the sandbox stays stopped while it owns the terminal
    /// (a shell's `suspend`): the caller has no job control to resume it, and Ctrl+C would reach only it.
    /// </summary>
    private static async Task WatchForStopAsync(TerminalGuard terminal, Action stuck, CancellationToken end)
    {
        using var timer = new PeriodicTimer(s_stopCheck);
        var seen = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(end).ConfigureAwait(false))
            {
                seen = terminal.IsHeldByStoppedGroup() ? seen + 1 : 0;
                if (seen >= StoppedChecks)
                {
                    stuck();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
        }
    }

    private static void CloseStreams(IChildProcess process)
    {
        // A pump still blocked on a pipe that something unkillable holds sees ObjectDisposedException and ends;
        // the descriptor itself is released when that read returns.
        CloseQuietly(process.StandardInput);
        process.StandardOutput.Dispose();
        process.StandardError.Dispose();
    }

    private static string? OwnPipe(StreamReader reader) =>
        reader.BaseStream is PipeStream pipe
            ? ProcessTreeKiller.PipeOf(Environment.ProcessId, (int)pipe.SafePipeHandle.DangerousGetHandle())
            : null;

    private static async Task<bool> EndsWithinAsync(Task task, TimeSpan time) =>
        await Task.WhenAny(task, Task.Delay(time, CancellationToken.None)).ConfigureAwait(false) == task;

    /// <summary>The environment the backend starts with (and passes on to the program): ours, or none, with the spec's changes.</summary>
    private static Dictionary<string, string> FinalEnvironment(NamespaceSpec spec) =>
        CurrentProcess.EnvironmentWith(spec.Environment, clear: spec.ClearEnvironment);

    /// <summary>
    /// The argv and environment as bytes when a word of them is not UTF-8, else null (Process can start them). Such a
    /// word comes from our own argv (the spec's raw command, which ends every backend's argv) or from an inherited
    /// variable that still holds what .NET decoded from it; a variable the spec sets, or that was set since, is a string.
    /// </summary>
    private static (List<byte[]> Argv, List<byte[]> Envp)? ByteWords(SandboxCommand command, NamespaceSpec spec, Dictionary<string, string> environment)
    {
        var argv = command.Argv.Select(Encoding.UTF8.GetBytes).ToList();
        var lossless = true;
        if (spec.RawCommand is { } raw && raw.Any(word => !ProcessBytes.IsUtf8(word)))
        {
            var first = argv.Count - raw.Count;
            var words = command.Argv.Skip(first).ToList();
            if (first < 0 || !words.SequenceEqual(spec.ArgumentList.Prepend(spec.FilePath), StringComparer.Ordinal))
            {
                throw new InvalidOperationException("The backend's argv does not end with the program and its arguments.");
            }

            argv.RemoveRange(first, raw.Count);
            argv.AddRange(raw);
            lossless = false;
        }

        var inherited = ProcessBytes.NonUtf8InheritedVariables();
        var envp = new List<byte[]>(environment.Count);
        foreach (var (name, value) in environment)
        {
            if (spec.RawEnvironment is { } given && given.TryGetValue(name, out var entry)
                && spec.Environment.TryGetValue(name, out var set) && string.Equals(set, value, StringComparison.Ordinal))
            {
                envp.Add(entry);
                lossless = false;
            }
            else if (!spec.Environment.ContainsKey(name) && inherited.TryGetValue(name, out var bytes) && string.Equals(bytes.Value, value, StringComparison.Ordinal))
            {
                envp.Add(bytes.Entry);
                lossless = false;
            }
            else
            {
                envp.Add(Encoding.UTF8.GetBytes(name + "=" + value));
            }
        }

        return lossless ? null : (argv, envp);
    }

    private static ProcessStartInfo CreateStartInfo(SandboxCommand command, Dictionary<string, string> environment, bool interactive)
    {
        var psi = new ProcessStartInfo(command.Argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = !interactive,
            RedirectStandardOutput = !interactive,
            RedirectStandardError = !interactive,
        };
        if (!interactive)
        {
            psi.StandardInputEncoding = s_utf8;
            psi.StandardOutputEncoding = s_utf8;
            psi.StandardErrorEncoding = s_utf8;
        }

        for (var i = 1; i < command.Argv.Count; i++)
        {
            psi.ArgumentList.Add(command.Argv[i]);
        }

        // The backend passes its environment on to the program, so setting it here sets it inside.
        psi.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }

        if (command.StartDirectory is not null)
        {
            psi.WorkingDirectory = command.StartDirectory;
        }

        return psi;
    }

    private static async Task PumpAsync(StreamReader reader, Func<string, CancellationToken, ValueTask>? sink, Action<Exception> fail, CancellationToken stop)
    {
        try
        {
            // Read to the end even when stopping: the end of the pipe is how we know the last writer is gone.
            while (await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
            {
                if (sink is not null && !stop.IsCancellationRequested)
                {
                    await sink(line, stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe was closed under us after a kill.
        }
#pragma warning disable CA1031 // A sink failure ends the run and is rethrown to the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            fail(ex);
        }
    }

    private static void StartInput(StreamWriter writer, IEnumerable<string>? input, Action<Exception> fail, CancellationToken stop)
    {
        if (input is null)
        {
            CloseQuietly(writer);
            return;
        }

        // A dedicated thread: the input may block between items (a live pipeline).
        _ = Task.Factory.StartNew(
            () => WriteInput(writer, input, fail, stop),
            CancellationToken.None,
            TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach,
            TaskScheduler.Default);
    }

    private static void WriteInput(StreamWriter writer, IEnumerable<string> input, Action<Exception> fail, CancellationToken stop)
    {
        try
        {
            using var items = input.GetEnumerator();
            while (!stop.IsCancellationRequested)
            {
                bool more;
                try
                {
                    more = items.MoveNext();
                }
                catch (OperationCanceledException)
                {
                    // The input's own stop (SandboxRun disposed or stopped): no more input, not a failure.
                    return;
                }
#pragma warning disable CA1031 // The caller's input failed: end the run with its exception.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    fail(ex);
                    return;
                }

                if (!more)
                {
                    break;
                }

                writer.Write(items.Current);
                writer.Write('\n');
                writer.Flush();
            }
        }
#pragma warning disable CA1031 // The program stopped reading (EPIPE) or the run ended and closed stdin.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            CloseQuietly(writer);
        }
    }

    private static void CloseQuietly(StreamWriter writer)
    {
        try
        {
            writer.Close();
        }
#pragma warning disable CA1031 // Closing a pipe whose reader is gone fails with EPIPE; nothing to report.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static Func<string, CancellationToken, ValueTask>? ToSink(Action<string>? callback) =>
        callback is null ? null : (line, _) =>
        {
            callback(line);
            return ValueTask.CompletedTask;
        };
}
