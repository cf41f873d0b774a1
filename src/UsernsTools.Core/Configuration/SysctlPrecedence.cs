using UsernsTools.Facts;
using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>
/// Computes the value each sysctl key gets at boot from /etc/sysctl.d, /run/sysctl.d,
/// /usr/local/lib/sysctl.d, /usr/lib/sysctl.d, /lib/sysctl.d and /etc/sysctl.conf.
/// </summary>
internal static class SysctlPrecedence
{
    /// <summary>Drop-in directories, most important first: a file name found in an earlier one hides the same name later.</summary>
    public static IReadOnlyList<string> Directories { get; } = new[]
    {
        "/etc/sysctl.d",
        "/run/sysctl.d",
        "/usr/local/lib/sysctl.d",
        "/usr/lib/sysctl.d",
        "/lib/sysctl.d",
    };

    /// <summary>Applied after every drop-in by <c>sysctl --system</c>.</summary>
    public const string SysctlConf = "/etc/sysctl.conf";

    private const string DevNull = "/dev/null";

    /// <summary>Symlink chains longer than this are treated as unreadable, like ELOOP.</summary>
    private const int MaxLinkHops = 16;

    /// <summary>
    /// Resolves every key below <paramref name="root"/>. <paramref name="overlay"/> maps machine paths to the
    /// content they would have (null: the file would be absent), so a plan can be judged before it is written.
    /// </summary>
    public static SysctlResolution Resolve(string root, IReadOnlyDictionary<string, string?>? overlay = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        overlay ??= new Dictionary<string, string?>(StringComparer.Ordinal);

        // Merge by file name: the first directory that has a name owns it, even when that file is masked.
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var dir in Directories)
        {
            foreach (var name in ConfNames(root, dir, overlay))
            {
                if (!owners.ContainsKey(name))
                {
                    owners[name] = dir + "/" + name;
                }
            }
        }

        var files = new List<string>();
        var assignments = new Dictionary<string, List<SysctlAssignment>>(StringComparer.Ordinal);
        var sysctlConf = ReadConfig(root, SysctlConf, overlay);
        foreach (var name in owners.Keys.Order(StringComparer.Ordinal))
        {
            var path = owners[name];
            var file = ReadConfig(root, path, overlay);
            if (file.Content is null)
            {
                continue;
            }

            files.Add(path);

            // Debian and Fedora link /etc/sysctl.d/99-sysctl.conf to ../sysctl.conf for systemd-sysctl; procps applies
            // sysctl.conf again at the end anyway, so counting the link's lines would only make each one shadow itself.
            if (sysctlConf.Content is not null && string.Equals(file.ResolvedPath, SysctlConf, StringComparison.Ordinal))
            {
                continue;
            }

            Apply(assignments, ParseFile(file.Content, path));
        }

        if (sysctlConf.Content is not null)
        {
            files.Add(SysctlConf);
            Apply(assignments, ParseFile(sysctlConf.Content, SysctlConf));
        }

        var keys = new Dictionary<string, SysctlKeyResolution>(StringComparer.Ordinal);
        foreach (var (key, list) in assignments)
        {
            keys[key] = new SysctlKeyResolution(list[^1], list.Take(list.Count - 1).ToArray());
        }

        return new SysctlResolution(keys, files);
    }

    /// <summary>
    /// The assignments of one configuration file in order. Blank lines and lines starting with <c>#</c> or
    /// <c>;</c> are comments; a leading <c>-</c> on a key only tells sysctl to ignore errors.
    /// </summary>
    public static IReadOnlyList<SysctlAssignment> ParseFile(string content, string machinePath)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(machinePath);
        var result = new List<SysctlAssignment>();
        var lines = content.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }

            var key = line[..eq].Trim();
            if (key.StartsWith('-'))
            {
                key = key[1..].TrimStart();
            }

            key = NormalizeKey(key);
            if (key.Length == 0)
            {
                continue;
            }

            result.Add(new SysctlAssignment { Key = key, Value = line[(eq + 1)..].Trim(), File = machinePath, Line = i + 1 });
        }

        return result;
    }

    /// <summary>
    /// Keys may be written with '/' separators (as paths below /proc/sys). As systemd and procps do, when the
    /// first separator is '/', slashes and dots swap, so <c>net/ipv4/conf/eth0.100/rp_filter</c> becomes
    /// <c>net.ipv4.conf.eth0/100.rp_filter</c>.
    /// </summary>
    public static string NormalizeKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var first = key.AsSpan().IndexOfAny('.', '/');
        if (first < 0 || key[first] == '.')
        {
            return key;
        }

        return string.Create(key.Length, key, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] switch
                {
                    '/' => '.',
                    '.' => '/',
                    var c => c,
                };
            }
        });
    }

    private static void Apply(Dictionary<string, List<SysctlAssignment>> assignments, IReadOnlyList<SysctlAssignment> parsed)
    {
        foreach (var assignment in parsed)
        {
            if (!assignments.TryGetValue(assignment.Key, out var list))
            {
                list = new List<SysctlAssignment>(1);
                assignments[assignment.Key] = list;
            }

            list.Add(assignment);
        }
    }

    /// <summary>The *.conf names in one directory as it would be after the overlay.</summary>
    private static HashSet<string> ConfNames(string root, string dir, IReadOnlyDictionary<string, string?> overlay)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var onDisk = RootedPath.Combine(root, dir);
        if (Directory.Exists(onDisk))
        {
            try
            {
                foreach (var entry in new DirectoryInfo(onDisk).EnumerateFileSystemInfos("*.conf"))
                {
                    // A directory named *.conf is not a file sysctl reads; links (even dangling ones) are.
                    if (entry is FileInfo || entry.LinkTarget is not null)
                    {
                        names.Add(entry.Name);
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        foreach (var (path, content) in overlay)
        {
            var slash = path.LastIndexOf('/');
            if (slash <= 0 || !string.Equals(path[..slash], dir, StringComparison.Ordinal))
            {
                continue;
            }

            var name = path[(slash + 1)..];
            if (!name.EndsWith(".conf", StringComparison.Ordinal))
            {
                continue;
            }

            if (content is null)
            {
                names.Remove(name);
            }
            else
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>
    /// Reads a configuration file on the diagnosed machine, following symlinks inside <paramref name="root"/>
    /// (an absolute link target names a path on that machine, not on this one). A link to /dev/null masks the
    /// file: it keeps its name, hiding lower directories, but sets nothing.
    /// </summary>
    private static (string? Content, string ResolvedPath) ReadConfig(string root, string machinePath, IReadOnlyDictionary<string, string?> overlay)
    {
        var path = machinePath;
        for (var hop = 0; hop < MaxLinkHops; hop++)
        {
            if (overlay.TryGetValue(path, out var planned))
            {
                return (planned, path);
            }

            if (string.Equals(path, DevNull, StringComparison.Ordinal))
            {
                return (null, path);
            }

            string? target;
            try
            {
                target = new FileInfo(RootedPath.Combine(root, path)).LinkTarget;
            }
            catch (IOException)
            {
                return (null, path);
            }
            catch (UnauthorizedAccessException)
            {
                return (null, path);
            }

            if (target is null)
            {
                // Missing, a directory or unreadable: no content.
                return (RootedPath.ReadText(root, path), path);
            }

            path = target.StartsWith('/')
                ? Path.GetFullPath(target)
                : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path) ?? "/", target));
        }

        return (null, path);
    }
}
