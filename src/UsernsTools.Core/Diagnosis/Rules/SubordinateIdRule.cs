using System.Globalization;
using UsernsTools.Facts;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>The subject's /etc/subuid and /etc/subgid ranges, which rootless containers map through newuidmap.</summary>
internal sealed class SubordinateIdRule : IDiagnosisRule
{
    private const long Needed = SubordinateIdAdvice.Needed;

    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var subject = context.Subject;
        // Root maps any id itself, and nobody (the default subject when root runs the diagnosis) never runs rootless containers.
        if (string.IsNullOrEmpty(subject.User) || subject.Uid == 0 || string.Equals(subject.Source, "DefaultNobody", StringComparison.Ordinal))
        {
            yield break;
        }

        var uids = (context.Facts.SubordinateUids ?? Array.Empty<SubordinateIdRange>()).Where(r => r is not null).ToList();
        var gids = (context.Facts.SubordinateGids ?? Array.Empty<SubordinateIdRange>()).Where(r => r is not null).ToList();
        var all = uids.Concat(gids).ToList();
        var user = subject.User;
        var free = SubordinateIdAdvice.FreeRange(context);
        var mapped = SubordinateIdAdvice.MappedIds(context);
        var example = free is var (start, count)
            ? FormattableString.Invariant($"usermod --add-subuids {start}-{start + count - 1} --add-subgids {start}-{start + count - 1} {user}")
            : null;
        var line = free is var (s, c) ? FormattableString.Invariant($"{user}:{s}:{c}") : null;

        // Inside a nested user namespace only the ids of its own map exist: a range outside it cannot be mapped there.
        var noRoom = mapped is long ids
            ? $"This user namespace maps only {ids.ToString(CultureInfo.InvariantCulture)} ids (/proc/self/uid_map: {Collapse(context.Process.UidMap)}), too few for a range of 65536 beside the ones in use: "
                + "give the namespace a larger uid and gid map where it is created (the container runtime's user namespace or idmap settings), and assign the range there."
            : "No range of 65536 ids is free between 100000 and the highest id: remove unused lines from /etc/subuid and /etc/subgid first.";

        if (uids.Count == 0 || gids.Count == 0)
        {
            var absent = new List<string>();
            if (uids.Count == 0)
            {
                absent.Add("/etc/subuid");
            }

            if (gids.Count == 0)
            {
                absent.Add("/etc/subgid");
            }

            var evidence = absent.Select(f => $"{f}: no line for {user} (uid {subject.Uid.ToString(CultureInfo.InvariantCulture)})").ToList();
            evidence.AddRange(all.Select(Evidence.Of));
            yield return new UsernsFinding
            {
                Id = FindingIds.SubordinateIdsMissing,
                Severity = Severity.Warning,
                CurrentValue = $"subuid: {Describe(uids)}; subgid: {Describe(gids)}",
                RecommendedValue = free is var (rs, rc) ? FormattableString.Invariant($"65536 ids, e.g. {rs}:{rc}") : null,
                Evidence = evidence,
                Explanation = $"{user} has no range in {string.Join(" and ", absent)}. User namespaces and bwrap work without one, "
                    + "but rootless Podman then maps only the user's own id, so images with files owned by other ids fail to unpack, and `unshare --map-auto` fails.",
                Remediation = example is null
                    ? noRoom
                    : $"Give {user} a range of 65536 ids no other user has: `{example}` (shadow 4.2 and later; otherwise append `{line}` to /etc/subuid and /etc/subgid), "
                        + "then `podman system migrate`.",
                Fix = null,
            };
        }

        var own = all.Where(r => r.ContainsOwnId).ToList();
        if (own.Count > 0)
        {
            yield return new UsernsFinding
            {
                Id = FindingIds.SubordinateIdsContainOwnId,
                Severity = Severity.Warning,
                CurrentValue = string.Join(", ", own.Select(r => $"{Kind(r)} {r.Start}:{r.Count}")),
                Evidence = own.Select(r => Evidence.Of(r) + $" includes {user}'s own {(r.Kind == SubordinateIdKind.Uid ? "uid " + subject.Uid.ToString(CultureInfo.InvariantCulture) : "gid " + subject.Gid.ToString(CultureInfo.InvariantCulture))}").ToList(),
                Explanation = "A subordinate range includes the user's own id, so a container would get the user's own files a second time under another id. "
                    + "Podman refuses it: `the specified mapping ... in \"/etc/subuid\" includes the user UID`.",
                Remediation = example is null
                    ? "Move the range off the user's own id. " + noRoom
                    : $"Move the range above every real uid and gid: edit the line, or `usermod --del-subuids <start>-<end> --del-subgids <start>-<end> {user}` then `{example}` (a free range).",
                Fix = null,
            };
        }

        var overlapping = all.Where(r => r.OverlapsWith is { Count: > 0 }).ToList();
        if (overlapping.Count > 0)
        {
            yield return new UsernsFinding
            {
                Id = FindingIds.SubordinateIdsOverlap,
                Severity = Severity.Warning,
                CurrentValue = string.Join(", ", overlapping.Select(r => $"{Kind(r)} {r.Start}:{r.Count}")),
                Evidence = overlapping.Select(r => Evidence.Of(r) + " overlaps the range of " + string.Join(", ", r.OverlapsWith)).ToList(),
                Explanation = "A subordinate range of the user overlaps another user's. Files one user's containers create then belong to ids the other user's containers also own, "
                    + "so each can read and change the other's container files.",
                Remediation = "Give each user a disjoint range (consecutive blocks of 65536): edit /etc/subuid and /etc/subgid"
                    + (line is null ? "" : $" (`{line}` is free for {user})")
                    + ", then `podman system migrate` for the users whose range changed." + (example is null ? " " + noRoom : ""),
                Fix = null,
            };
        }

        var small = new[] { (SubordinateIdKind.Uid, uids), (SubordinateIdKind.Gid, gids) }
            .Where(k => k.Item2.Count > 0 && k.Item2.Sum(r => Math.Max(0, r.Count)) < Needed)
            .ToList();
        if (small.Count > 0)
        {
            yield return new UsernsFinding
            {
                Id = FindingIds.SubordinateIdsTooFew,
                Severity = Severity.Warning,
                CurrentValue = string.Join(", ", small.Select(k => $"{(k.Item1 == SubordinateIdKind.Uid ? "subuid" : "subgid")}: {k.Item2.Sum(r => r.Count).ToString(CultureInfo.InvariantCulture)} ids")),
                RecommendedValue = Needed.ToString(CultureInfo.InvariantCulture),
                Evidence = small.SelectMany(k => k.Item2).Select(Evidence.Of).ToList(),
                Explanation = "Fewer than 65536 subordinate ids: container images use ids up to 65535 (nobody, nogroup), and Podman fails to map files owned by ids beyond the range.",
                Remediation = example is null ? noRoom : $"Give {user} a range of 65536 ids that no other user has, e.g. `{example}`, then `podman system migrate`.",
                Fix = null,
            };
        }
    }

    private static string Describe(List<SubordinateIdRange> ranges) =>
        ranges.Count == 0 ? "none" : string.Join(", ", ranges.Select(r => $"{r.Start}:{r.Count}"));

    private static string Collapse(string? map) =>
        map is null ? "(not read)" : string.Join(" ", map.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) is { Length: > 0 } text ? text : "(empty)";

    private static string Kind(SubordinateIdRange range) => range.Kind == SubordinateIdKind.Uid ? "subuid" : "subgid";
}
