using UsernsTools.Platform;

namespace UsernsTools.Sandbox;

/// <summary>
/// Reads the text forms of run options that a command line (and a PowerShell string argument) uses:
/// <c>user,pid</c>, <c>NAME=VALUE</c> and <c>SRC[:DST][:ro]</c>.
/// </summary>
internal static class RunOptionText
{
    /// <summary>Namespace kinds by name, case-insensitive; <c>mnt</c> too, as /proc/PID/ns and unshare spell it.</summary>
    public static NamespaceKind ParseNamespaces(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var kinds = NamespaceKind.None;
        foreach (var item in items)
        {
            foreach (var name in (item ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                kinds |= ParseNamespace(name);
            }
        }

        return kinds;
    }

    private static NamespaceKind ParseNamespace(string name)
    {
        if (string.Equals(name, "mnt", StringComparison.OrdinalIgnoreCase))
        {
            return NamespaceKind.Mount;
        }

        // Names only: Enum.TryParse would also take numbers, which would let "255" mean every kind.
        foreach (var kind in Enum.GetValues<NamespaceKind>())
        {
            if (kind != NamespaceKind.None && string.Equals(kind.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }

        var known = string.Join(", ", Enum.GetValues<NamespaceKind>().Where(k => k != NamespaceKind.None).Select(k => k.ToString().ToLowerInvariant()));
        throw new UsernsException(
            RunOptionErrorIds.UnknownNamespaceKind,
            UsernsErrorCategory.InvalidArgument,
            $"'{name}' is not a namespace kind; use {known}.",
            name);
    }

    /// <summary><c>NAME=VALUE</c> (the value may be empty and may contain '=').</summary>
    public static KeyValuePair<string, string?> ParseEnvironmentEntry(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var equals = entry.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new UsernsException(
                RunOptionErrorIds.InvalidEnvironmentEntry,
                UsernsErrorCategory.InvalidArgument,
                $"'{entry}' is not NAME=VALUE.",
                entry);
        }

        return new KeyValuePair<string, string?>(entry[..equals], entry[(equals + 1)..]);
    }

    /// <summary>
    /// <c>SRC</c> (bound at the same path), <c>SRC:DST</c>, or either followed by <c>:ro</c> or <c>:rw</c>.
    /// A relative SRC is taken relative to <paramref name="baseDirectory"/> when one is given; DST must be absolute.
    /// </summary>
    public static BindMount ParseBindMount(string text, string? baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        var readOnly = false;
        var count = parts.Length;
        if (count >= 2 && parts[^1] is "ro" or "rw")
        {
            readOnly = parts[^1] == "ro";
            count--;
        }

        if (count is < 1 or > 2 || parts.Take(count).Any(p => p.Length == 0))
        {
            throw new UsernsException(
                RunOptionErrorIds.InvalidBindMount,
                UsernsErrorCategory.InvalidArgument,
                $"'{text}' is not SRC[:DST][:ro]: give a source path, optionally the path inside, and optionally ro or rw.",
                text);
        }

        var source = parts[0];
        if (baseDirectory is not null && !source.StartsWith('/'))
        {
            source = Path.GetFullPath(source, baseDirectory);
        }

        var target = count == 2 ? parts[1] : source;
        return new BindMount(source, target, readOnly);
    }
}
