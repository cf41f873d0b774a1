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
            return IsExecutable(RootedPath.Combine(root, name)) ? name : null;
        }

        foreach (var dir in (string.IsNullOrEmpty(path) ? DefaultPath : path).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!dir.StartsWith('/'))
            {
                continue;
            }

            var candidate = dir.TrimEnd('/') + "/" + name;
            if (IsExecutable(RootedPath.Combine(root, candidate)))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string file)
    {
        try
        {
            if (!File.Exists(file))
            {
                return false;
            }

            var mode = File.GetUnixFileMode(file);
            return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
