namespace UsernsTools.Platform;

/// <summary>Maps a path on the diagnosed machine to a path below a file-system root (default <c>/</c>).</summary>
internal static class RootedPath
{
    public static string Combine(string root, string machinePath)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(machinePath);
        if (root.Length == 0 || root == "/")
        {
            return machinePath;
        }

        return root.TrimEnd('/') + "/" + machinePath.TrimStart('/');
    }

    /// <summary>
    /// The path of <paramref name="machinePath"/> as it really is on this host, for messages a user acts on: below the
    /// root, and a /proc path below <paramref name="procRoot"/> when one is given.
    /// </summary>
    public static string Show(string root, string machinePath, string? procRoot = null)
    {
        ArgumentNullException.ThrowIfNull(machinePath);
        if (procRoot is not null && (machinePath == "/proc" || machinePath.StartsWith("/proc/", StringComparison.Ordinal)))
        {
            return Combine(procRoot, machinePath["/proc".Length..]);
        }

        return Combine(root, machinePath);
    }

    /// <summary>
    /// Throws RootNotFound unless <paramref name="root"/> is an existing folder: a mistyped root would otherwise read as
    /// a machine where every setting, range and journal record is absent.
    /// </summary>
    public static void RequireRoot(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (File.Exists(root))
        {
            throw new UsernsException(
                "RootNotDirectory",
                UsernsErrorCategory.InvalidArgument,
                $"The root '{root}' is not a directory: give the folder that stands for the machine's /.",
                root);
        }

        if (!Directory.Exists(root.Length == 0 ? "/" : root))
        {
            throw new UsernsException("RootNotFound", UsernsErrorCategory.ObjectNotFound, $"The root folder '{root}' does not exist.", root);
        }
    }

    /// <summary>Reads a small text file, or null when it is missing or unreadable.</summary>
    public static string? ReadText(string root, string machinePath) => SmallTextFile.TryRead(Combine(root, machinePath));

    /// <summary>Reads the first line of a file, trimmed; null when missing or unreadable.</summary>
    public static string? ReadValue(string root, string machinePath) => ReadText(root, machinePath)?.Trim();
}
