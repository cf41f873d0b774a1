using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Facts.Denials;
using UsernsTools.Platform;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;
using UsernsTools.Sandbox;
using UsernsTools.Serialization;

namespace UsernsTools;

/// <summary>
/// The engine's door for reading and diagnosing: status, reports, settings, subordinate ids, probes, denials and
/// process namespaces. Each cmdlet and CLI command is one call through a door: this one,
/// <see cref="Configuration.Remediation"/> for changes and their undoing, <see cref="Sandbox.Sandboxes"/> for runs in
/// new namespaces, and <see cref="Configuration.DscResource"/> for the DSC protocol. A test reads both front ends'
/// metadata to keep it so.
/// </summary>
internal static class UsernsEngine
{
    /// <summary>Reads facts, runs probes concurrently with nothing else depending on them, and diagnoses.</summary>
    public static async Task<UsernsStatus> GetStatusAsync(StatusRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var snapshot = await TakeSnapshotAsync(request, cancellationToken).ConfigureAwait(false);
        return Diagnoser.Diagnose(snapshot, words: request.Words);
    }

    /// <summary>Facts and probe results of this machine, as a report file would hold them.</summary>
    public static async Task<UsernsSnapshot> TakeSnapshotAsync(StatusRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var factRequest = ResolvedFactRequest(request.Root, request.User);
        if (!request.NoProbe && !SubjectLauncher.CallerMayRunAs(factRequest.Subject!, factRequest.CallerUid))
        {
            // Each probe would fail to start, and a verdict built from nothing but those failures would blame the machine.
            throw ProbesNeedRoot(factRequest.Subject!, request.Words ?? Configuration.FrontEndWords.Cmdlets);
        }

        // The probes need only the subject and the helpers on PATH: start them all first, so that the facts (and the
        // log scan) are read while they run and the status takes as long as the slowest of them rather than their sum.
        // bwrap first: its run (it mounts a read-only copy of / as well) is the longest of them.
        var bwrapProbes = request.NoProbe ? null : BwrapProbesAsync(factRequest, request.ProbeTimeout, cancellationToken);
        var probes = request.NoProbe ? null : UnshareProbesAsync(factRequest, request.ProbeTimeout, cancellationToken);
        MachineFacts facts;
        RecentDenials? recent = null;
        try
        {
            facts = await FactCollector.CollectAsync(factRequest, cancellationToken).ConfigureAwait(false);
            if (probes is not null)
            {
                // A session asks again and again: its ring buffer stays open, and each status reads only what is new.
                var where = request.DenialQuery ?? new DenialQuery { Root = request.Root, KeepRingBufferOpen = true };
                recent = RecentDenialReader.Read(where, DateTimeOffset.Now, cancellationToken);
            }
        }
        catch (Exception) when (probes is not null)
        {
            // Nothing this call starts outlives it: the probes end within their timeout, and are waited for.
            await Task.WhenAny(Task.WhenAll(probes, bwrapProbes!)).ConfigureAwait(false);
            throw;
        }

        if (probes is null)
        {
            return new UsernsSnapshot { Facts = facts };
        }

        await Task.WhenAll(probes, bwrapProbes!).ConfigureAwait(false);
        return new UsernsSnapshot
        {
            Facts = facts,
            Probes = await probes.ConfigureAwait(false),

            // What bwrap did, as recorded: each failure's likely cause is worked out when the snapshot is diagnosed.
            BwrapProbes = await bwrapProbes!.ConfigureAwait(false),
            Denials = recent!.Denials,
            Notes = recent.Notes,
        };
    }

    /// <summary>
    /// The refusal of a status that would probe as someone else for a caller who is not root: only root starts a program as
    /// another user. The settings alone can still be read for that user.
    /// </summary>
    private static UsernsException ProbesNeedRoot(UsernsSubject subject, Configuration.FrontEndWords words)
    {
        var user = subject.Name;
        return new UsernsException(
            "ProbesNeedRoot",
            UsernsErrorCategory.PermissionDenied,
            $"Only root can run the probes as {user}: run {words.Status} {SubjectLauncher.WhoMayRunAs(user)}, or add {words.NoProbe} to read the settings only.",
            user);
    }

    /// <summary>Runs the bubblewrap probes as <paramref name="user"/> (default subject when null), with -BwrapPath when given.</summary>
    /// <remarks>Each failure's likely cause names commands in the front end's <paramref name="words"/>.</remarks>
    public static async Task<IReadOnlyList<BwrapProbeResult>> TestBwrapAsync(string? user, string? bwrapPath, TimeSpan timeout, Configuration.FrontEndWords words, CancellationToken cancellationToken)
    {
        // A path given that is there but cannot be run is a mistake in the path, not a machine without bubblewrap.
        if (bwrapPath is { Length: > 0 } given && BwrapInstallationReader.PathProblem(given) is { } problem)
        {
            throw new UsernsException("BwrapPathNotExecutable", UsernsErrorCategory.InvalidArgument, $"'{given}' {problem}: give the path of a bwrap program.", given);
        }

        // The facts find the subject and setpriv, and let diagnosis name each failure's likely cause on this machine.
        var facts = await FactCollector.CollectAsync(
            new FactRequest { Root = "/", User = user, Environment = CurrentProcess.Environment(), CallerUid = CurrentProcess.EffectiveUid },
            cancellationToken).ConfigureAwait(false);
        var results = await BwrapProber.RunAsync(BwrapRequest(facts, bwrapPath, timeout), cancellationToken).ConfigureAwait(false);
        return results.Select(r => BwrapCauseAnalyzer.Explained(r, facts, words)).ToArray();
    }

    /// <summary>
    /// A fact request for this process's caller with the subject already resolved, so that a bad user fails before
    /// anything starts and the probes can start before the facts are read.
    /// </summary>
    private static FactRequest ResolvedFactRequest(string root, string? user)
    {
        var environment = CurrentProcess.Environment();
        var callerUid = CurrentProcess.EffectiveUid;
        return new FactRequest
        {
            Root = root,
            User = user,
            Environment = environment,
            CallerUid = callerUid,
            Subject = UserResolver.Resolve(root, user, callerUid, environment),
        };
    }

    /// <summary>The unshare probes as the request's subject, with unshare and setpriv found on PATH as the tool facts find them.</summary>
    private static Task<IReadOnlyList<UsernsProbeResult>> UnshareProbesAsync(FactRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = request.Environment.GetValueOrDefault("PATH");
        return UsernsProber.RunAsync(
            new ProbeRequest
            {
                Subject = request.Subject ?? throw new ArgumentException("The subject is resolved first.", nameof(request)),
                CallerUid = request.CallerUid,
                UnsharePath = PathLookup.Find("unshare", path, request.Root),
                SetprivPath = PathLookup.Find("setpriv", path, request.Root),
                Timeout = timeout,
            },
            cancellationToken);
    }

    /// <summary>
    /// The bubblewrap probes as the request's subject when bwrap is on PATH (as the tool facts find it), none otherwise;
    /// setpriv found as for the unshare probes.
    /// </summary>
    private static Task<IReadOnlyList<BwrapProbeResult>> BwrapProbesAsync(FactRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = request.Environment.GetValueOrDefault("PATH");
        if (PathLookup.Find("bwrap", path, request.Root) is null)
        {
            return Task.FromResult<IReadOnlyList<BwrapProbeResult>>(Array.Empty<BwrapProbeResult>());
        }

        return BwrapProber.RunAsync(
            new BwrapProbeRequest
            {
                Subject = request.Subject ?? throw new ArgumentException("The subject is resolved first.", nameof(request)),
                CallerUid = request.CallerUid,
                SetprivPath = PathLookup.Find("setpriv", path, request.Root),
                Timeout = timeout,
            },
            cancellationToken);
    }

    private static BwrapProbeRequest BwrapRequest(MachineFacts facts, string? bwrapPath, TimeSpan timeout) => new()
    {
        Subject = facts.Subject,
        CallerUid = facts.CallerUid,
        SetprivPath = facts.Tool("setpriv")?.Path,
        BwrapPath = bwrapPath,
        Timeout = timeout,
    };

    /// <summary>
    /// Streams the user namespace denials of this machine's logs, or of <paramref name="query"/>'s files, in log order.
    /// Synchronous on purpose: the cmdlet enumerates it on the pipeline thread, so notices and objects are written there.
    /// </summary>
    public static IEnumerable<UsernsDenial> GetDenials(DenialQuery query, CancellationToken cancellationToken) => DenialLogReader.Read(query, cancellationToken);

    /// <summary>Diagnoses a report recorded elsewhere, without touching this machine.</summary>
    public static UsernsStatus GetStatusFromReport(string path, Configuration.FrontEndWords? words = null) => Diagnoser.Diagnose(ReportReader.Read(path), fromReport: true, words);

    /// <summary>
    /// The user-namespace settings below <paramref name="root"/>, all of them or those named. An unknown name goes to
    /// <paramref name="unknownName"/> when given (the other names are still read), else it is thrown.
    /// </summary>
    public static IReadOnlyList<UsernsSetting> GetSettings(string root, IReadOnlyList<string>? names, Action<UsernsException>? unknownName = null)
    {
        RootedPath.RequireRoot(root);
        return SettingReader.Read(root, names, null, unknownName);
    }

    /// <summary>The lines of /etc/subuid and /etc/subgid below <paramref name="root"/> that give no range, one sentence each.</summary>
    public static IReadOnlyList<string> GetIgnoredSubordinateIdLines(string root)
    {
        RootedPath.RequireRoot(root);
        return SubordinateIdReader.IgnoredLines(root);
    }

    /// <summary>Subordinate id ranges of a user (all users when <paramref name="user"/> is null).</summary>
    public static async Task<IReadOnlyList<SubordinateIdRange>> GetSubordinateIdRangesAsync(string? user, string root, CancellationToken cancellationToken)
    {
        RootedPath.RequireRoot(root);
        if (user is null)
        {
            return SubordinateIdReader.Read(root, null);
        }

        var subject = (await FactCollector.CollectAsync(
            new FactRequest { Root = root, User = user, Environment = CurrentProcess.Environment(), CallerUid = CurrentProcess.EffectiveUid },
            cancellationToken).ConfigureAwait(false)).Subject;
        return SubordinateIdReader.Read(root, subject);
    }

    /// <summary>The namespaces, id maps and credentials of process <paramref name="pid"/>, or of this process when null.</summary>
    public static ProcessNamespace GetProcessNamespace(int? pid) => pid switch
    {
        // 0 and negative numbers name no process (kill(2) reads them as process groups): a usage error, not a missing one.
        <= 0 => throw new UsernsException(
            "InvalidProcessId",
            UsernsErrorCategory.InvalidArgument,
            $"{pid.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a process id: process ids start at 1.",
            pid.Value),
        { } id => ProcessNamespaceReader.Read(id),
        null => ProcessNamespaceReader.ReadSelf(),
    };

    /// <summary>Runs the user namespace probes as <paramref name="user"/> (default subject when null).</summary>
    public static Task<IReadOnlyList<UsernsProbeResult>> TestUserNamespaceAsync(string? user, TimeSpan timeout, CancellationToken cancellationToken) =>
        UnshareProbesAsync(ResolvedFactRequest("/", user), timeout, cancellationToken);

    /// <summary>Who the probes run as for <paramref name="user"/> (the default subject when null), and why.</summary>
    public static UsernsSubject ResolveSubject(string? user) => ResolvedFactRequest("/", user).Subject!;

    /// <summary>Runs the user namespace probes as a subject already resolved with <see cref="ResolveSubject"/>.</summary>
    public static Task<IReadOnlyList<UsernsProbeResult>> TestUserNamespaceAsync(UsernsSubject subject, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var request = new FactRequest
        {
            Root = "/",
            User = subject.User,
            Environment = CurrentProcess.Environment(),
            CallerUid = CurrentProcess.EffectiveUid,
            Subject = subject,
        };
        return UnshareProbesAsync(request, timeout, cancellationToken);
    }
}
