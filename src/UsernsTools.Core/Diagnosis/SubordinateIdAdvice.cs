using System.Globalization;
using UsernsTools.Facts;

namespace UsernsTools.Diagnosis;

/// <summary>
/// A subordinate range to suggest: 65536 ids that no line of /etc/subuid or /etc/subgid holds yet, and that this user
/// namespace can map (inside a nested namespace only the ids of its own uid_map and gid_map exist).
/// </summary>
internal static class SubordinateIdAdvice
{
    /// <summary>What rootless containers need: images use ids up to 65535.</summary>
    public const long Needed = 65536;

    /// <summary>shadow's SUB_UID_MIN and SUB_GID_MIN default: useradd hands out ranges from here.</summary>
    public const long First = 100000;

    /// <summary>The highest valid id: (uid_t)-1 is no id.</summary>
    private const long LastId = 4294967294;

    /// <summary>The lowest free range of <see cref="Needed"/> ids from <see cref="First"/> on, or null when none fits.</summary>
    public static (long Start, long Count)? FreeRange(DiagnosisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var facts = context.Facts;

        // A report without the ranges of all users still knows the subject's own.
        var used = (facts.SubordinateIdsInUse ?? (facts.SubordinateUids ?? Array.Empty<SubordinateIdRange>()).Concat(facts.SubordinateGids ?? Array.Empty<SubordinateIdRange>()).ToList())
            .Where(r => r is not null && r.Count > 0)
            .Select(r => (r.Start, End: r.Start + r.Count - 1))
            .ToList();
        var subject = context.Subject;
        used.Add((subject.Uid, subject.Uid));
        used.Add((subject.Gid, subject.Gid));

        var uidMap = Mapped(context.Process.UidMap);
        var gidMap = Mapped(context.Process.GidMap);
        var candidates = new SortedSet<long> { First };
        foreach (var (_, end) in used)
        {
            candidates.Add(end + 1);
        }

        foreach (var (start, _) in uidMap.Concat(gidMap))
        {
            candidates.Add(start);
        }

        foreach (var start in candidates.Where(c => c >= First))
        {
            var end = start + Needed - 1;
            if (end <= LastId
                && !used.Exists(u => u.Start <= end && start <= u.End)
                && Inside(uidMap, start, end)
                && Inside(gidMap, start, end))
            {
                return (start, Needed);
            }
        }

        return null;
    }

    /// <summary>How many ids this namespace's uid map holds, when it is not the initial namespace's full map.</summary>
    public static long? MappedIds(DiagnosisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var map = Mapped(context.Process.UidMap);
        var total = map.Sum(m => m.End - m.Start + 1);
        return total >= LastId ? null : total;
    }

    /// <summary>The id ranges that exist in this namespace, from the first and third columns of its map.</summary>
    private static List<(long Start, long End)> Mapped(string? map)
    {
        var result = new List<(long Start, long End)>();
        if (map is null)
        {
            // Not read: assume the initial namespace's full map rather than suggest nothing.
            result.Add((0, LastId));
            return result;
        }

        foreach (var line in map.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 3
                && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var inside)
                && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
            {
                result.Add((inside, inside + count - 1));
            }
        }

        return result;
    }

    private static bool Inside(List<(long Start, long End)> map, long start, long end) => map.Exists(m => m.Start <= start && end <= m.End);
}
