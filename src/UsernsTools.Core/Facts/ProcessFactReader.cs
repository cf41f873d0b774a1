using System.Globalization;
using UsernsTools.Platform;

namespace UsernsTools.Facts;

/// <summary>Reads where the diagnosing process stands: seccomp, no_new_privs, capabilities and its user namespace.</summary>
internal static class ProcessFactReader
{
    /// <summary>The inode of the initial user namespace on every kernel since 3.8.</summary>
    public const long InitialUserNamespaceInode = 4026531837;

    private const int CapSysAdmin = 21;

    public static ProcessFacts Read(string root)
    {
        var status = ParseStatus(RootedPath.ReadText(root, "/proc/self/status"));
        var capEff = status.GetValueOrDefault("CapEff");
        var uidMap = NormalizeMap(RootedPath.ReadText(root, "/proc/self/uid_map"));
        bool? initial = uidMap is null ? null : IsIdentityMap(uidMap);
        return new ProcessFacts
        {
            Seccomp = ParseInt(status.GetValueOrDefault("Seccomp")),
            SeccompFilters = ParseInt(status.GetValueOrDefault("Seccomp_filters")),
            NoNewPrivs = ParseInt(status.GetValueOrDefault("NoNewPrivs")) is { } nnp ? nnp != 0 : null,
            CapEff = capEff,
            HasCapSysAdmin = ulong.TryParse(capEff, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var caps)
                ? (caps & (1UL << CapSysAdmin)) != 0
                : null,
            UidMap = uidMap,
            GidMap = NormalizeMap(RootedPath.ReadText(root, "/proc/self/gid_map")),
            Setgroups = RootedPath.ReadValue(root, "/proc/self/setgroups"),
            UserNamespaceInode = ReadNamespaceInode(root, "/proc/self/ns/user"),
            InInitialUserNamespace = initial,
            UserNamespaceDepth = initial == true ? 0 : null,
        };
    }

    /// <summary>The <c>Key:\tvalue</c> lines of a /proc/PID/status file.</summary>
    internal static Dictionary<string, string> ParseStatus(string? text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text is null)
        {
            return result;
        }

        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                result[line[..colon]] = line[(colon + 1)..].Trim();
            }
        }

        return result;
    }

    /// <summary>The inode in a namespace link such as <c>user:[4026531837]</c>; null when unreadable.</summary>
    internal static long? ReadNamespaceInode(string root, string machinePath)
    {
        try
        {
            var target = new FileInfo(RootedPath.Combine(root, machinePath)).LinkTarget;
            return ParseNamespaceLink(target);
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

    internal static long? ParseNamespaceLink(string? target)
    {
        if (target is null)
        {
            return null;
        }

        var open = target.IndexOf('[', StringComparison.Ordinal);
        var close = target.LastIndexOf(']');
        return open >= 0 && close > open
            && long.TryParse(target.AsSpan(open + 1, close - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
            ? inode
            : null;
    }

    /// <summary>
    /// The map with the kernel's column padding collapsed to single spaces, one line per range. An empty string
    /// (a namespace whose map was never written) is kept apart from null (no such file: no user namespaces).
    /// </summary>
    internal static string? NormalizeMap(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => string.Join(' ', l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        return string.Join('\n', lines);
    }

    /// <summary>The initial namespace maps all 2^32-1 ids onto themselves in one line.</summary>
    internal static bool IsIdentityMap(string normalizedMap) => normalizedMap == "0 0 4294967295";

    private static int? ParseInt(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
