using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Platform;
using UsernsTools.Probes;
using UsernsTools.Serialization;

namespace UsernsTools;

/// <summary>
/// The operations the front ends call: each cmdlet and CLI command is one call here.
/// </summary>
internal static class UsernsEngine
{
    /// <summary>Reads facts, runs probes concurrently with nothing else depending on them, and diagnoses.</summary>
    public static async Task<UsernsStatus> GetStatusAsync(StatusRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var snapshot = await TakeSnapshotAsync(request, cancellationToken).ConfigureAwait(false);
        return Diagnoser.Diagnose(snapshot);
    }

    /// <summary>Facts and probe results of this machine, as a report file would hold them.</summary>
    public static async Task<UsernsSnapshot> TakeSnapshotAsync(StatusRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var facts = await FactCollector.CollectAsync(
            new FactRequest
            {
                Root = request.Root,
                User = request.User,
                Environment = CurrentProcess.Environment(),
                CallerUid = CurrentProcess.EffectiveUid,
            },
            cancellationToken).ConfigureAwait(false);

        IReadOnlyList<UsernsProbeResult> probes = Array.Empty<UsernsProbeResult>();
        if (!request.NoProbe)
        {
            probes = await UsernsProber.RunAsync(
                new ProbeRequest
                {
                    Subject = facts.Subject,
                    CallerUid = facts.CallerUid,
                    UnsharePath = facts.Tool("unshare")?.Path,
                    SetprivPath = facts.Tool("setpriv")?.Path,
                    Timeout = request.ProbeTimeout,
                },
                cancellationToken).ConfigureAwait(false);
        }

        return new UsernsSnapshot { Facts = facts, Probes = probes };
    }

    /// <summary>Diagnoses a report recorded elsewhere, without touching this machine.</summary>
    public static UsernsStatus GetStatusFromReport(string path) => Diagnoser.Diagnose(ReportReader.Read(path), fromReport: true);

    /// <summary>The user-namespace settings below <paramref name="root"/>, all of them or those named.</summary>
    public static IReadOnlyList<UsernsSetting> GetSettings(string root, IReadOnlyList<string>? names) => SettingReader.Read(root, names);

    /// <summary>Subordinate id ranges of a user (all users when <paramref name="user"/> is null).</summary>
    public static async Task<IReadOnlyList<SubordinateIdRange>> GetSubordinateIdRangesAsync(string? user, string root, CancellationToken cancellationToken)
    {
        if (user is null)
        {
            return SubordinateIdReader.Read(root, null);
        }

        var subject = (await FactCollector.CollectAsync(
            new FactRequest { Root = root, User = user, Environment = CurrentProcess.Environment(), CallerUid = CurrentProcess.EffectiveUid },
            cancellationToken).ConfigureAwait(false)).Subject;
        return SubordinateIdReader.Read(root, subject);
    }

    /// <summary>Runs the user namespace probes as <paramref name="user"/> (default subject when null).</summary>
    public static async Task<IReadOnlyList<UsernsProbeResult>> TestUserNamespaceAsync(string? user, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var snapshot = await TakeSnapshotAsync(new StatusRequest { User = user, ProbeTimeout = timeout }, cancellationToken).ConfigureAwait(false);
        return snapshot.Probes;
    }
}
