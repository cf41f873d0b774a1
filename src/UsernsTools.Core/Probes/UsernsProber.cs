using System.Globalization;
using UsernsTools.Platform;

namespace UsernsTools.Probes;

/// <summary>
/// Runs the user namespace probes as the subject, with util-linux <c>unshare</c> (never in-process: .NET is
/// multithreaded and unshare(CLONE_NEWUSER) fails there).
/// </summary>
/// <remarks>
/// Starting a process costs far more than creating namespaces, and on a small machine concurrent starts queue
/// behind each other, so the probes first run as one combined command creating every kind at once. Its success
/// proves each probe, and each result then names that command. Only when it fails (or times out) is each probe
/// run on its own, all started before any is awaited, to pinpoint which kind and which stage failed; a hanging
/// helper therefore costs at most twice the timeout.
/// </remarks>
internal static class UsernsProber
{
    private const string TimeNamespaceLink = "/proc/self/ns/time";

    /// <summary>Every probe: <see cref="ProbeNames.CreateUserNamespace"/>, <see cref="ProbeNames.MapRootUser"/> and each other kind, in that order.</summary>
    public static Task<IReadOnlyList<UsernsProbeResult>> RunAsync(ProbeRequest request, CancellationToken cancellationToken)
        => RunAsync(request, UnshareProbeSpec.All, cancellationToken);

    /// <summary>Only <see cref="ProbeNames.CreateUserNamespace"/> and <see cref="ProbeNames.MapRootUser"/>.</summary>
    public static Task<IReadOnlyList<UsernsProbeResult>> RunCoreAsync(ProbeRequest request, CancellationToken cancellationToken)
        => RunAsync(request, UnshareProbeSpec.Core, cancellationToken);

    /// <summary>Runs <paramref name="specs"/> and returns one result per spec, in the same order.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled; every started helper has been killed.</exception>
    public static Task<IReadOnlyList<UsernsProbeResult>> RunAsync(ProbeRequest request, IReadOnlyList<UnshareProbeSpec> specs, CancellationToken cancellationToken)
        => RunAsync(request, specs, File.Exists(TimeNamespaceLink), cancellationToken);

    /// <summary>As above, told whether this kernel has time namespaces (the link exists only when it does).</summary>
    internal static async Task<IReadOnlyList<UsernsProbeResult>> RunAsync(
        ProbeRequest request, IReadOnlyList<UnshareProbeSpec> specs, bool timeNamespaces, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(specs);
        cancellationToken.ThrowIfCancellationRequested();
        var user = UserName(request);

        if (LaunchProblem(request, user) is { } problem)
        {
            return specs.Select(spec => LaunchFailed(spec.Name, user, problem.Errno, problem.Message)).ToArray();
        }

        var unshare = request.UnsharePath!;
        var results = new UsernsProbeResult?[specs.Count];

        // A kernel without time namespaces would fail the combined command every time; run Time on its own there
        // so the others keep the fast path and Time still reports the kernel's own answer.
        var combinable = new List<int>();
        var alone = new List<int>();
        for (var i = 0; i < specs.Count; i++)
        {
            (specs[i].Name != ProbeNames.Time || timeNamespaces ? combinable : alone).Add(i);
        }

        if (combinable.Count < 2)
        {
            alone.AddRange(combinable);
            combinable.Clear();
        }

        // Start everything that can start now before awaiting anything.
        IReadOnlyList<string>? combinedArgv = null;
        Task<ProcessResult>? combined = null;
        if (combinable.Count > 0)
        {
            var helper = Helper(request, UnshareProbeSpec.CombinedArgv(unshare, combinable.Select(i => specs[i])));
            combinedArgv = helper.Argv;
            combined = request.Runner.RunAsync(helper, cancellationToken);
        }

        var pending = new List<(int Index, IReadOnlyList<string> Argv, Task<ProcessResult> Task)>();
        foreach (var i in alone)
        {
            var helper = Helper(request, specs[i].Argv(unshare));
            pending.Add((i, helper.Argv, request.Runner.RunAsync(helper, cancellationToken)));
        }

        if (combined is not null)
        {
            var outcome = await combined.ConfigureAwait(false);
            if (outcome.Cancelled)
            {
                await Task.WhenAll(pending.Select(p => p.Task)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }

            // Success proves every combined probe. A helper that cannot even be executed would fail the same way
            // for each probe, so repeating it tells nothing; both cases report the combined command itself.
            if (!outcome.Started || (!outcome.TimedOut && outcome.ExitCode == 0))
            {
                foreach (var i in combinable)
                {
                    results[i] = ToResult(specs[i].Name, user, combinedArgv!, outcome, request.Timeout);
                }
            }
            else
            {
                foreach (var i in combinable)
                {
                    var helper = Helper(request, specs[i].Argv(unshare));
                    pending.Add((i, helper.Argv, request.Runner.RunAsync(helper, cancellationToken)));
                }
            }
        }

        await Task.WhenAll(pending.Select(p => p.Task)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var (index, argv, task) in pending)
        {
            results[index] = ToResult(specs[index].Name, user, argv, await task.ConfigureAwait(false), request.Timeout);
        }

        return results!;
    }

    /// <summary>Turns what a helper left behind into a probe result; never throws for an expected failure.</summary>
    internal static UsernsProbeResult ToResult(string name, string user, IReadOnlyList<string> argv, ProcessResult outcome, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!outcome.Started)
        {
            return new UsernsProbeResult
            {
                Name = name,
                Stage = ProbeStage.Launch,
                Errno = UnshareMessageClassifier.ErrnoOf(outcome.StartError),
                Message = outcome.StartError,
                DurationMs = outcome.Duration.TotalMilliseconds,
                Command = argv,
                User = user,
            };
        }

        var (line, failure) = UnshareMessageClassifier.ClassifyOutput(outcome.StandardError);
        if (outcome.TimedOut)
        {
            return new UsernsProbeResult
            {
                Name = name,
                Stage = ProbeStage.Timeout,
                Errno = Errno.None,
                Message = line ?? string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(argv[0])} did not finish within {timeout.TotalMilliseconds:0} ms and was killed."),
                DurationMs = outcome.Duration.TotalMilliseconds,
                Command = argv,
                User = user,
            };
        }

        var succeeded = outcome.ExitCode == 0;
        return new UsernsProbeResult
        {
            Name = name,
            Succeeded = succeeded,
            Stage = succeeded ? ProbeStage.None : failure.Stage,
            Errno = succeeded ? Errno.None : failure.Errno,
            Message = line,
            ExitCode = outcome.ExitCode,
            DurationMs = outcome.Duration.TotalMilliseconds,
            Command = argv,
            User = user,
        };
    }

    private static ProcessRequest Helper(ProbeRequest request, IReadOnlyList<string> argv)
        => SubjectLauncher.Request(request.Subject, request.CallerUid, request.SetprivPath, argv, request.Timeout)
           ?? throw new InvalidOperationException("setpriv is needed but missing; LaunchProblem should have caught it.");

    /// <summary>Why no probe can be started at all, or null when the helpers are there.</summary>
    private static (Errno Errno, string Message)? LaunchProblem(ProbeRequest request, string user)
    {
        if (request.UnsharePath is null)
        {
            return (Errno.ENOENT, "unshare (util-linux) is not installed; it is needed to create namespaces.");
        }

        if (!File.Exists(request.UnsharePath))
        {
            return (Errno.ENOENT, $"unshare (util-linux) is not installed: {request.UnsharePath} does not exist.");
        }

        var subject = request.Subject;
        if (!SubjectLauncher.CallerMayRunAs(subject, request.CallerUid))
        {
            return (Errno.EPERM, SubjectLauncher.OnlyRootRunsAs(user));
        }

        if (SubjectLauncher.NeedsSetpriv(subject, request.CallerUid))
        {
            if (request.SetprivPath is null)
            {
                return (Errno.ENOENT, $"setpriv (util-linux) is not installed; it is needed to run the probes as {user}.");
            }

            if (!File.Exists(request.SetprivPath))
            {
                return (Errno.ENOENT, $"setpriv (util-linux) is not installed: {request.SetprivPath} does not exist; it is needed to run the probes as {user}.");
            }
        }

        return null;
    }

    private static UsernsProbeResult LaunchFailed(string name, string user, Errno errno, string message) => new()
    {
        Name = name,
        Stage = ProbeStage.Launch,
        Errno = errno,
        Message = message,
        User = user,
    };

    private static string UserName(ProbeRequest request) => request.Subject.Name;
}
