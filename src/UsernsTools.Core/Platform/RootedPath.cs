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

    /// <summary>Reads a small text file, or null when it is missing or unreadable.</summary>
    public static string? ReadText(string root, string machinePath)
    {
        try
        {
            return File.ReadAllText(Combine(root, machinePath));
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

    /// <summary>Reads the first line of a file, trimmed; null when missing or unreadable.</summary>
    public static string? ReadValue(string root, string machinePath) => ReadText(root, machinePath)?.Trim();
}
