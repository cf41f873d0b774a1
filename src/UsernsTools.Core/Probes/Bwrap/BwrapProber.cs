using UsernsTools.Facts;
using UsernsTools.Platform;

namespace UsernsTools.Probes.Bwrap;

/// <summary>
/// Runs bubblewrap as the subject in each <see cref="BwrapMode"/> and classifies what failed. Never runs a setuid
/// bwrap; a missing bwrap is a result (NotInstalled), not an exception.
/// </summary>
internal static class BwrapProber
{
    private const string UidMapFile = "/proc/self/uid_map";

    private static readonly string[] s_strictUser = { "--unshare-user", "--uid", "0", "--gid", "0" };
    private static readonly string[] s_readOnlyRoot = { "--ro-bind", "/", "/" };
    private static readonly string[] s_newProc = { "--proc", "/proc" };

    // What Flatpak adds around the root: its own /dev, a tmpfs (it builds /tmp, /run and more from them), and death
    // with its parent. Without --uid bwrap maps the subject to itself, mapping root first so it may mount /dev's devpts
    // and then nesting a second user namespace, as for every Flatpak app.
    private static readonly string[] s_flatpakNamespaces = { "--unshare-user", "--unshare-pid", "--unshare-ipc" };
    private static readonly string[] s_flatpakMounts = { "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--die-with-parent" };
    private static readonly string[] s_flatpakExtras = { "--dev", "/dev", "--tmpfs", "/tmp", "--die-with-parent" };

    public static async Task<IReadOnlyList<BwrapProbeResult>> RunAsync(BwrapProbeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        var subject = request.Subject;
        if (!SubjectLauncher.CallerMayRunAs(subject, request.CallerUid))
        {
            return request.Modes.Select(mode => new BwrapProbeResult
            {
                Mode = mode,
                ErrorKind = BwrapErrorKind.LaunchFailed,
                Errno = Errno.EPERM,
                Stage = ProbeStage.Launch,
                Message = SubjectLauncher.OnlyRootRunsAs(subject.User),
                Explanation = $"Only root can start a program as another user, so nothing was probed for {subject.User}.",
                User = subject.User,
            }).ToArray();
        }

        var lookup = new BwrapLookup
        {
            SearchPath = request.SearchPath,
            ExplicitPath = request.BwrapPath,
            CallerUid = request.CallerUid,
            Timeout = request.Timeout,
            Runner = request.Runner,
        };
        var candidates = BwrapInstallationReader.Locate(lookup);
        var selected = candidates.FirstOrDefault(c => c.IsSelected);

        // The combined run (see below) is the longest part of a status: it starts as soon as the selected bwrap is known
        // to be one the probes may run, and the installations are described (their versions read) while it runs.
        ProcessRequest? combinedHelper = null;
        Task<ProcessResult>? combinedRun = null;
        if (selected is { IsPrivileged: false } && request.Modes.Count > 1)
        {
            combinedHelper = SubjectLauncher.Request(request.Subject, request.CallerUid, request.SetprivPath, CombinedArgv(selected.Path, request.Modes), request.Timeout);
            combinedRun = combinedHelper is null ? null : request.Runner.RunAsync(combinedHelper, cancellationToken);
        }

        IReadOnlyList<BwrapInstallation> installations;
        try
        {
            installations = await BwrapInstallationReader.DescribeAsync(candidates, lookup, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (combinedRun is not null)
        {
            // Nothing this call starts outlives it: the run ends within its timeout (at once when cancelled).
            await Task.WhenAny(combinedRun).ConfigureAwait(false);
            throw;
        }

        var installation = installations.FirstOrDefault(i => i.IsSelected);

        if (installation is null)
        {
            var where = string.IsNullOrEmpty(request.BwrapPath) ? "on PATH" : "at " + request.BwrapPath;
            return request.Modes.Select(mode => new BwrapProbeResult
            {
                Mode = mode,
                ErrorKind = BwrapErrorKind.NotInstalled,
                Errno = Errno.ENOENT,
                Stage = ProbeStage.Launch,
                Message = "bwrap was not found " + where + ".",
                Explanation = "No executable bwrap was found " + where + ", so nothing could be probed.",
                User = request.Subject.User,
            }).ToArray();
        }

        if (installation.IsPrivileged)
        {
            return request.Modes.Select(mode => new BwrapProbeResult
            {
                Mode = mode,
                ErrorKind = BwrapErrorKind.SetuidNotUsed,
                Stage = ProbeStage.Launch,
                Message = installation.Path + (installation.IsSetuid ? " is setuid root." : " has file capabilities."),
                Explanation = "UsernsTools never runs a setuid (or file-capability) bwrap: probing it would exercise privileged code and prove nothing about user namespaces.",
                Installation = installation,
                Command = Argv(installation.Path, mode),
                User = request.Subject.User,
            }).ToArray();
        }

        // Fast path: one bwrap run with every requested namespace at once. Its success proves each mode (strict
        // mapping, network and proc included; try mode then makes a namespace too); only a failure needs the modes
        // one by one to tell which part failed.
        if (combinedRun is not null && await CombinedResultsAsync(request, installation, combinedHelper!, combinedRun, cancellationToken).ConfigureAwait(false) is { } proven)
        {
            return proven;
        }

        // The outside map tells whether --unshare-user-try really made a namespace: inside it the map differs.
        var outsideMap = request.Modes.Contains(BwrapMode.Try)
            ? ReadOutsideMapAsync(request, cancellationToken)
            : Task.FromResult<string?>(null);
        var probes = request.Modes.Select(mode => RunModeAsync(request, installation, mode, cancellationToken)).ToArray();
        var outside = await outsideMap.ConfigureAwait(false);
        var results = await Task.WhenAll(probes).ConfigureAwait(false);
        return results.Select(r => r.Mode == BwrapMode.Try ? WithTryMapping(r, outside) : r).ToArray();
    }

    /// <summary>The argv of one probe (without the setpriv wrapper).</summary>
    internal static IReadOnlyList<string> Argv(string bwrap, BwrapMode mode)
    {
        var argv = new List<string> { bwrap };
        switch (mode)
        {
            case BwrapMode.Try:
                argv.Add("--unshare-user-try");
                argv.AddRange(s_readOnlyRoot);
                break;
            case BwrapMode.Flatpak:
                argv.AddRange(s_flatpakNamespaces);
                argv.AddRange(s_readOnlyRoot);
                argv.AddRange(s_flatpakMounts);
                break;
            default:
                argv.AddRange(s_strictUser);
                if (mode == BwrapMode.Network)
                {
                    argv.Add("--unshare-net");
                }

                // A procfs of the caller's own pid namespace is allowed where the one Flatpak and `run --mount-proc`
                // mount (for a new pid namespace) is refused, so the probe asks for the new pid namespace too.
                if (mode == BwrapMode.Proc)
                {
                    argv.Add("--unshare-pid");
                }

                argv.AddRange(s_readOnlyRoot);
                if (mode == BwrapMode.Proc)
                {
                    argv.AddRange(s_newProc);
                }

                break;
        }

        // cat instead of true: the map seen inside is the evidence that (and how) the subject was mapped.
        argv.Add("cat");
        argv.Add(UidMapFile);
        return argv;
    }

    private static async Task<BwrapProbeResult> RunModeAsync(BwrapProbeRequest request, BwrapInstallation installation, BwrapMode mode, CancellationToken cancellationToken)
    {
        var argv = Argv(installation.Path, mode);
        var helper = SubjectLauncher.Request(request.Subject, request.CallerUid, request.SetprivPath, argv, request.Timeout);
        if (helper is null)
        {
            return new BwrapProbeResult
            {
                Mode = mode,
                ErrorKind = BwrapErrorKind.LaunchFailed,
                Stage = ProbeStage.Launch,
                Message = "setpriv is not installed.",
                Explanation = "Running the probe as " + request.Subject.User + " needs setpriv (util-linux), which was not found.",
                Installation = installation,
                Command = argv,
                User = request.Subject.User,
            };
        }

        var run = await request.Runner.RunAsync(helper, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return FromRun(mode, run, installation, helper.Argv, request.Subject);
    }

    /// <summary>
    /// The argv that exercises every requested mode in one run (without the setpriv wrapper): root mapped (for Strict),
    /// and the union of the namespaces and mounts the other modes ask for.
    /// </summary>
    internal static IReadOnlyList<string> CombinedArgv(string bwrap, IReadOnlyCollection<BwrapMode> modes)
    {
        var argv = new List<string> { bwrap };
        argv.AddRange(s_strictUser);
        var flatpak = modes.Contains(BwrapMode.Flatpak);
        var newProc = flatpak || modes.Contains(BwrapMode.Proc);
        if (newProc)
        {
            argv.Add("--unshare-pid");
        }

        if (flatpak)
        {
            argv.Add("--unshare-ipc");
        }

        if (modes.Contains(BwrapMode.Network))
        {
            argv.Add("--unshare-net");
        }

        argv.AddRange(s_readOnlyRoot);
        if (newProc)
        {
            argv.AddRange(s_newProc);
        }

        if (flatpak)
        {
            argv.AddRange(s_flatpakExtras);
        }

        argv.Add("cat");
        argv.Add(UidMapFile);
        return argv;
    }

    /// <summary>Every requested mode's result when the combined run succeeded and mapped root; null otherwise.</summary>
    private static async Task<IReadOnlyList<BwrapProbeResult>?> CombinedResultsAsync(
        BwrapProbeRequest request, BwrapInstallation installation, ProcessRequest helper, Task<ProcessResult> combinedRun, CancellationToken cancellationToken)
    {
        var run = await combinedRun.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var command = helper.Argv;
        var strict = FromRun(BwrapMode.Strict, run, installation, command, request.Subject);
        if (!strict.Succeeded || !strict.UidMapped)
        {
            return null;
        }

        return request.Modes.Select(mode =>
        {
            var result = FromRun(mode, run, installation, command, request.Subject);
            if (mode == BwrapMode.Try)
            {
                result = WithTryMapping(result, null);
            }

            return ProvenByCombinedRun(result, request.Modes);
        }).ToArray();
    }

    private static BwrapProbeResult ProvenByCombinedRun(BwrapProbeResult r, IReadOnlyCollection<BwrapMode> modes) =>
        r.Reinterpreted(r.UidMapped, r.Explanation + " Proven by one combined run that covers this mode: " + CombinedRunText(modes) + ".");

    private static string CombinedRunText(IReadOnlyCollection<BwrapMode> modes)
    {
        var parts = new List<string> { "a user namespace with root mapped" };
        if (modes.Contains(BwrapMode.Network))
        {
            parts.Add("a network namespace");
        }

        if (modes.Contains(BwrapMode.Proc) || modes.Contains(BwrapMode.Flatpak))
        {
            parts.Add("a pid namespace with its own /proc");
        }

        if (modes.Contains(BwrapMode.Flatpak))
        {
            parts.Add("an ipc namespace, /dev and a tmpfs as Flatpak mounts them (as root inside rather than as the subject)");
        }

        return string.Join(", ", parts);
    }

    /// <summary>Turns a finished run into a result; pure, so recorded runs classify the same way.</summary>
    internal static BwrapProbeResult FromRun(BwrapMode mode, ProcessResult run, BwrapInstallation? installation, IReadOnlyList<string> command, UsernsSubject subject)
    {
        // What every result of this run says; a failure adds what failed and why.
        BwrapProbeResult Failed(BwrapErrorKind kind, Errno errno, ProbeStage stage, string? message, string explanation) => new()
        {
            Mode = mode,
            ExitCode = run.ExitCode,
            StandardError = run.StandardError,
            ErrorKind = kind,
            Errno = errno,
            Stage = stage,
            Message = message,
            Explanation = explanation,
            Installation = installation,
            Command = command,
            User = subject.User,
            DurationMs = run.Duration.TotalMilliseconds,
        };

        if (!run.Started)
        {
            return Failed(BwrapErrorKind.LaunchFailed, Errno.Unknown, ProbeStage.Launch, run.StartError, "The probe could not be started: " + run.StartError);
        }

        if (run.TimedOut)
        {
            return Failed(BwrapErrorKind.Timeout, Errno.None, ProbeStage.Timeout, null, "bwrap did not finish in time and was killed.");
        }

        var setprivFailed = run.ExitCode is 126 or 127 || run.StandardError.StartsWith("setpriv:", StringComparison.Ordinal);
        if (run.ExitCode == 0)
        {
            var map = NormaliseMap(run.StandardOutput);
            return new BwrapProbeResult
            {
                Mode = mode,
                Succeeded = true,
                // Flatpak's shape maps the subject to itself (bwrap fails rather than run without the namespace).
                UidMapped = mode == BwrapMode.Flatpak || (mode != BwrapMode.Try && FirstInsideId(map) == "0"),
                UidMap = map,
                ExitCode = run.ExitCode,
                StandardError = run.StandardError,
                Explanation = mode switch
                {
                    BwrapMode.Try => "bwrap ran; whether it made a user namespace is in UidMapped.",
                    BwrapMode.Flatpak => "bwrap started a sandbox shaped as Flatpak's (user, pid and ipc namespaces, its own /dev and /proc, a tmpfs).",
                    _ => "bwrap created a user namespace and mapped the subject to root inside.",
                },
                Installation = installation,
                Command = command,
                User = subject.User,
                DurationMs = run.Duration.TotalMilliseconds,
            };
        }

        var classification = BwrapMessageClassifier.Classify(run.StandardError);
        if (classification.Kind == BwrapErrorKind.Unknown && setprivFailed && !run.StandardError.Contains("bwrap:", StringComparison.Ordinal))
        {
            return Failed(BwrapErrorKind.LaunchFailed, classification.Errno, ProbeStage.Launch, classification.Message, "The probe could not be started as the subject: " + classification.Message);
        }

        return Failed(classification.Kind, classification.Errno, classification.Stage, classification.Message, classification.Explanation);
    }

    private static BwrapProbeResult WithTryMapping(BwrapProbeResult r, string? outsideMap)
    {
        if (!r.Succeeded)
        {
            return r;
        }

        // Without the outside map, fall back to "not the initial namespace's identity map".
        var mapped = r.UidMap is { Length: > 0 } inside && (outsideMap is null ? inside != "0 0 4294967295" : inside != outsideMap);
        return r.Reinterpreted(
            mapped,
            mapped
                ? "bwrap created a user namespace (--unshare-user-try) and mapped the subject."
                : "bwrap ran without a new user namespace: --unshare-user-try skipped it because none could be made.");
    }

    private static async Task<string?> ReadOutsideMapAsync(BwrapProbeRequest request, CancellationToken cancellationToken)
    {
        var helper = SubjectLauncher.Request(request.Subject, request.CallerUid, request.SetprivPath, new[] { "cat", UidMapFile }, request.Timeout);
        if (helper is null)
        {
            return null;
        }

        var run = await request.Runner.RunAsync(helper, cancellationToken).ConfigureAwait(false);
        return run.ExitCode == 0 ? NormaliseMap(run.StandardOutput) : null;
    }

    /// <summary>The map with runs of blanks collapsed, one line per extent.</summary>
    internal static string NormaliseMap(string text)
        => string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => string.Join(' ', line.Split(' ', '\t').Where(f => f.Length > 0))));

    private static string? FirstInsideId(string map)
    {
        var firstSpace = map.IndexOf(' ', StringComparison.Ordinal);
        return firstSpace > 0 ? map[..firstSpace] : null;
    }
}
