namespace UsernsTools.Platform;

/// <summary>Finds executables on a PATH below a file-system root, as a shell would.</summary>
internal static class PathLookup
{
    /// <summary>The default PATH used when the environment has none.</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The first executable regular file named <paramref name="name"/> on <paramref name="path"/>, as a path on the diagnosed machine.</summary>
    public static string? Find(string name, string? path, string root = "/")
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutableFile(RootedPath.Combine(root, name)) ? name : null;
        }

        foreach (var dir in (string.IsNullOrEmpty(path) ? DefaultPath : path).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!dir.StartsWith('/'))
            {
                continue;
            }

            var candidate = dir.TrimEnd('/') + "/" + name;
            if (IsExecutableFile(RootedPath.Combine(root, candidate)))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The commands on <paramref name="path"/> whose names start with <paramref name="prefix"/>, each with the file a
    /// lookup of its name would find (the first directory wins, as in <see cref="Find"/>), sorted by name.
    /// </summary>
    public static IReadOnlyList<(string Name, string Path)> ListCommands(string prefix, string? path)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var dir in (string.IsNullOrEmpty(path) ? DefaultPath : path).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!dir.StartsWith('/'))
            {
                continue;
            }

            IEnumerable<string> files;
            try
            {
                files = Directory.EnumerateFiles(dir, prefix.Length == 0 ? "*" : prefix + "*").ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // A missing or unreadable directory on PATH hides nothing a shell would find there either.
                continue;
            }

            foreach (var file in files)
            {
                var name = System.IO.Path.GetFileName(file);
                if (name.StartsWith(prefix, StringComparison.Ordinal) && !found.ContainsKey(name) && IsExecutableFile(file))
                {
                    found[name] = file;
                }
            }
        }

        return found.Select(kv => (kv.Key, kv.Value)).ToList();
    }

    /// <summary>
    /// A regular file (a link to one counts) with an execute bit, in one stat(2): a lookup tries every directory on PATH,
    /// for each tool.
    /// </summary>
    internal static bool IsExecutableFile(string file) => UnixFile.Stat(file) is { IsRegularFile: true, AnyoneMayExecute: true };
}
