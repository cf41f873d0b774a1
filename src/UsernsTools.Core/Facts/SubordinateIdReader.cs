using System.Globalization;
using UsernsTools.Platform;

namespace UsernsTools.Facts;

/// <summary>
/// Reads /etc/subuid and /etc/subgid (<c>name:start:count</c> or <c>uid:start:count</c>), the ranges newuidmap
/// and newgidmap may map, and flags what shadow or podman would refuse.
/// </summary>
internal static class SubordinateIdReader
{
    public const string SubuidPath = "/etc/subuid";
    public const string SubgidPath = "/etc/subgid";

    /// <summary>Ranges of both files (uids first); only the subject's when <paramref name="subject"/> is given.</summary>
    public static IReadOnlyList<SubordinateIdRange> Read(string root, UsernsSubject? subject)
    {
        ArgumentNullException.ThrowIfNull(root);
        var users = new IdentityCache(root);
        return ReadFile(root, SubordinateIdKind.Uid, subject, users).Concat(ReadFile(root, SubordinateIdKind.Gid, subject, users)).ToArray();
    }

    /// <summary>The ranges of one file; only the subject's when <paramref name="subject"/> is given.</summary>
    public static IReadOnlyList<SubordinateIdRange> ReadFile(string root, SubordinateIdKind kind, UsernsSubject? subject) =>
        ReadFile(root, kind, subject, new IdentityCache(root));

    private static IReadOnlyList<SubordinateIdRange> ReadFile(string root, SubordinateIdKind kind, UsernsSubject? subject, IdentityCache users)
    {
        var machinePath = kind == SubordinateIdKind.Uid ? SubuidPath : SubgidPath;
        var text = RootedPath.ReadText(root, machinePath);
        if (text is null)
        {
            return Array.Empty<SubordinateIdRange>();
        }

        var lines = Parse(text);
        if (lines.Count == 0)
        {
            return Array.Empty<SubordinateIdRange>();
        }

        var subjectUid = subject?.Uid.ToString(CultureInfo.InvariantCulture);
        bool IsSubject(string user) => subject is not null && (user == subject.User || user == subjectUid);

        // Two lines belong to the same account when they resolve to the same uid, whether written as name or number.
        // Resolved lazily: only overlapping lines and the lines returned need an account lookup.
        Identity IdentityOf(int i) => IsSubject(lines[i].User) ? new Identity(subject!.Uid, subject.Gid) : users.Resolve(lines[i].User);
        var overlaps = FindOverlaps(lines, IdentityOf);

        var result = new List<SubordinateIdRange>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (subject is not null && !IsSubject(line.User))
            {
                continue;
            }

            var identity = IdentityOf(i);
            var own = kind == SubordinateIdKind.Uid ? identity.Uid : identity.Gid;
            result.Add(Range(line, kind, machinePath, own is { } id && id >= line.Start && id < line.Start + line.Count, overlaps[i]));
        }

        return result;
    }

    /// <summary>
    /// Every well-formed line of /etc/subuid and /etc/subgid, of all users, as read (no account lookups): the ids a new
    /// range must stay clear of.
    /// </summary>
    public static IReadOnlyList<SubordinateIdRange> ReadInUse(string root)
    {
        var result = new List<SubordinateIdRange>();
        foreach (var (kind, machinePath) in new[] { (SubordinateIdKind.Uid, SubuidPath), (SubordinateIdKind.Gid, SubgidPath) })
        {
            var text = RootedPath.ReadText(root, machinePath);
            if (text is null)
            {
                continue;
            }

            result.AddRange(Parse(text).Select(line => Range(line, kind, machinePath, containsOwnId: false, overlapsWith: Array.Empty<string>())));
        }

        return result;
    }

    /// <summary>One parsed line of <paramref name="file"/> as a range.</summary>
    private static SubordinateIdRange Range((string User, long Start, long Count, int Number) line, SubordinateIdKind kind, string file, bool containsOwnId, IReadOnlyList<string> overlapsWith) => new()
    {
        User = line.User,
        Kind = kind,
        Start = line.Start,
        Count = line.Count,
        File = file,
        Line = line.Number,
        ContainsOwnId = containsOwnId,
        OverlapsWith = overlapsWith,
    };

    /// <summary>
    /// The lines of /etc/subuid and /etc/subgid that newuidmap and newgidmap skip, each as one sentence naming the file,
    /// the line and why: <see cref="Read"/> leaves them out, and an administrator who wrote one expects a range from it.
    /// </summary>
    public static IReadOnlyList<string> IgnoredLines(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var result = new List<string>();
        foreach (var machinePath in new[] { SubuidPath, SubgidPath })
        {
            var text = RootedPath.ReadText(root, machinePath);
            if (text is null)
            {
                continue;
            }

            foreach (var (line, number) in ContentLines(text))
            {
                if (Problem(line) is { } problem)
                {
                    var shown = line.Length > 80 ? line[..80] + "..." : line;
                    result.Add($"{machinePath}:{number.ToString(CultureInfo.InvariantCulture)}: '{shown}' {problem}; newuidmap and newgidmap get no range from it.");
                }
            }
        }

        return result;
    }

    /// <summary>Why shadow would not read <paramref name="line"/> as a range; null when it would.</summary>
    private static string? Problem(string line)
    {
        var fields = line.Split(':');
        if (fields.Length != 3 || fields[0].Length == 0)
        {
            return "is not NAME:START:COUNT";
        }

        if (!long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return "has a START or COUNT that is not a whole number";
        }

        if (count == 0)
        {
            return "gives no ids (COUNT is 0)";
        }

        return start > uint.MaxValue || count > uint.MaxValue ? "goes past the largest id, 4294967295" : null;
    }

    /// <summary>Well-formed lines; comments, blank lines and lines shadow would reject are skipped.</summary>
    internal static List<(string User, long Start, long Count, int Number)> Parse(string text)
    {
        var result = new List<(string, long, long, int)>();
        foreach (var (line, number) in ContentLines(text))
        {
            if (Problem(line) is null)
            {
                var fields = line.Split(':');
                result.Add((fields[0], long.Parse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture), long.Parse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture), number));
            }
        }

        return result;
    }

    /// <summary>Each line that is neither blank nor a comment, trimmed, with its number (from 1).</summary>
    private static IEnumerable<(string Line, int Number)> ContentLines(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length > 0 && line[0] != '#')
            {
                yield return (line, i + 1);
            }
        }
    }

    /// <summary>For each line, the other users whose ranges overlap it (sweep over ranges sorted by start).</summary>
    private static IReadOnlyList<string>[] FindOverlaps(List<(string User, long Start, long Count, int Number)> lines, Func<int, Identity> identityOf)
    {
        var others = new SortedSet<string>?[lines.Count];
        var order = Enumerable.Range(0, lines.Count).OrderBy(i => lines[i].Start).ToArray();
        for (var a = 0; a < order.Length; a++)
        {
            var i = order[a];
            var end = lines[i].Start + lines[i].Count;
            for (var b = a + 1; b < order.Length && lines[order[b]].Start < end; b++)
            {
                var j = order[b];
                if (SameAccount(lines[i].User, lines[j].User, () => identityOf(i), () => identityOf(j)))
                {
                    continue;
                }

                (others[i] ??= new SortedSet<string>(StringComparer.Ordinal)).Add(lines[j].User);
                (others[j] ??= new SortedSet<string>(StringComparer.Ordinal)).Add(lines[i].User);
            }
        }

        return others.Select(s => s is null ? (IReadOnlyList<string>)Array.Empty<string>() : s.ToArray()).ToArray();
    }

    private static bool SameAccount(string userA, string userB, Func<Identity> a, Func<Identity> b)
    {
        if (string.Equals(userA, userB, StringComparison.Ordinal))
        {
            return true;
        }

        var uidA = a().Uid;
        return uidA is not null && uidA == b().Uid;
    }

    private readonly record struct Identity(long? Uid, long? Gid);

    /// <summary>Resolves each distinct user field once: a number is a uid, a name is looked up in passwd.</summary>
    private sealed class IdentityCache(string root)
    {
        private readonly Dictionary<string, Identity> _cache = new(StringComparer.Ordinal);
        private Dictionary<string, PasswdEntry>? _byName;
        private Dictionary<long, PasswdEntry>? _byUid;

        public Identity Resolve(string user)
        {
            if (_cache.TryGetValue(user, out var known))
            {
                return known;
            }

            Identity identity;
            if (user.All(char.IsAsciiDigit) && long.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
            {
                identity = new Identity(uid, FindByUid(uid)?.Gid ?? uid);
            }
            else
            {
                var entry = FindByName(user);
                identity = entry is null ? default : new Identity(entry.Uid, entry.Gid);
            }

            _cache[user] = identity;
            return identity;
        }

        // The passwd file is read once for all lines; NSS is asked only for accounts it lacks.
        private PasswdEntry? FindByName(string name)
        {
            Load();
            return _byName!.TryGetValue(name, out var entry) ? entry : MachineRoot.IsLive(root) ? SystemUsers.FindByName(name) : null;
        }

        private PasswdEntry? FindByUid(long uid)
        {
            Load();
            return _byUid!.TryGetValue(uid, out var entry) ? entry : MachineRoot.IsLive(root) ? SystemUsers.FindByUid(uid) : null;
        }

        private void Load()
        {
            if (_byName is not null)
            {
                return;
            }

            _byName = new Dictionary<string, PasswdEntry>(StringComparer.Ordinal);
            _byUid = new Dictionary<long, PasswdEntry>();
            foreach (var entry in PasswdFile.ReadAll(root))
            {
                _byName.TryAdd(entry.Name, entry);
                _byUid.TryAdd(entry.Uid, entry);
            }
        }
    }
}
