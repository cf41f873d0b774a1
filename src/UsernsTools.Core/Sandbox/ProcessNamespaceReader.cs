using System.Globalization;
using UsernsTools.Platform;

namespace UsernsTools.Sandbox;

/// <summary>Reads /proc/PID/ns/* and the id maps of a process and compares them with the caller's.</summary>
internal static class ProcessNamespaceReader
{
    /// <summary>Each kind and its file name under /proc/PID/ns.</summary>
    public static IReadOnlyList<(NamespaceKind Kind, string File)> Kinds { get; } = new[]
    {
        (NamespaceKind.User, "user"),
        (NamespaceKind.Pid, "pid"),
        (NamespaceKind.Uts, "uts"),
        (NamespaceKind.Mount, "mnt"),
        (NamespaceKind.Ipc, "ipc"),
        (NamespaceKind.Net, "net"),
        (NamespaceKind.Cgroup, "cgroup"),
        (NamespaceKind.Time, "time"),
    };

    /// <summary>The namespaces of process <paramref name="pid"/> compared with this process's.</summary>
    public static ProcessNamespace Read(int pid)
    {
        var dir = "/proc/" + pid.ToString(CultureInfo.InvariantCulture);
        if (pid <= 0 || !Directory.Exists(dir))
        {
            throw new UsernsException(SandboxErrorIds.ProcessNotFound, UsernsErrorCategory.ObjectNotFound, $"No process with id {pid}.", pid);
        }

        var self = Environment.ProcessId;
        var inodes = new Dictionary<NamespaceKind, long?>();
        var isolated = NamespaceKind.None;
        var unreadable = NamespaceKind.None;
        foreach (var (kind, file) in Kinds)
        {
            var theirs = ParseInode(ReadLink(pid, file));
            inodes[kind] = theirs;
            if (theirs is null)
            {
                unreadable |= kind;
                continue;
            }

            var ours = ParseInode(ReadLink(self, file));
            if (ours is not null && ours != theirs)
            {
                isolated |= kind;
            }
        }

        var uidMap = ParseMap(RootedPath.ReadText("/", dir + "/uid_map"));
        return new ProcessNamespace
        {
            ProcessId = pid,
            UserNamespace = inodes[NamespaceKind.User],
            PidNamespace = inodes[NamespaceKind.Pid],
            UtsNamespace = inodes[NamespaceKind.Uts],
            MountNamespace = inodes[NamespaceKind.Mount],
            IpcNamespace = inodes[NamespaceKind.Ipc],
            NetNamespace = inodes[NamespaceKind.Net],
            CgroupNamespace = inodes[NamespaceKind.Cgroup],
            TimeNamespace = inodes[NamespaceKind.Time],
            UidMap = uidMap,
            GidMap = ParseMap(RootedPath.ReadText("/", dir + "/gid_map")),
            IsolatedFrom = isolated,
            Unreadable = unreadable,
            IsInitialUserNamespace = uidMap.Count == 1 && uidMap[0] is { Inside: 0, Outside: 0, Count: 4294967295 },
        };
    }

    /// <summary>The caller's own namespaces.</summary>
    public static ProcessNamespace ReadSelf() => Read(Environment.ProcessId);

    /// <summary>The link text, e.g. <c>user:[4026531837]</c>, or null when unreadable.</summary>
    public static string? ReadLink(int pid, string file)
    {
        try
        {
            return new FileInfo("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/ns/" + file).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The inode in <c>kind:[inode]</c>.</summary>
    public static long? ParseInode(string? link)
    {
        if (link is null)
        {
            return null;
        }

        var open = link.IndexOf('[', StringComparison.Ordinal);
        var close = link.LastIndexOf(']');
        return open >= 0 && close > open && long.TryParse(link.AsSpan(open + 1, close - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
            ? inode
            : null;
    }

    /// <summary>Parses uid_map or gid_map text: lines of three whitespace-separated numbers.</summary>
    public static IReadOnlyList<IdMapEntry> ParseMap(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Array.Empty<IdMapEntry>();
        }

        var entries = new List<IdMapEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var inside)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var outside)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                entries.Add(new IdMapEntry { Inside = inside, Outside = outside, Count = count });
            }
        }

        return entries;
    }
}
