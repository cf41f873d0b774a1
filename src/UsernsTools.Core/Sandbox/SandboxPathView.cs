namespace UsernsTools.Sandbox;

/// <summary>
/// The file system as the sandbox will see it, read from the host before anything starts: the host's root,
/// with the bind mounts laid over it in order (a later mount hides what an earlier one shows at its target).
/// Used to check that the program, the working directory and the mount points exist before a run.
/// </summary>
internal sealed class SandboxPathView
{
    private readonly IReadOnlyList<BindMount> _mounts;

    /// <param name="mounts">The bind mounts in the order the backend applies them.</param>
    public SandboxPathView(IReadOnlyList<BindMount> mounts)
    {
        _mounts = mounts;
    }

    /// <summary>The host path that shows at <paramref name="insidePath"/> (absolute, as seen inside).</summary>
    public string ToHostPath(string insidePath) => Resolve(insidePath).HostPath;

    /// <summary>The bind mount that shows <paramref name="insidePath"/>, or null when the host's root does.</summary>
    public BindMount? MountOf(string insidePath) => Resolve(insidePath).Mount;

    /// <summary>True when something (file, directory or symbolic link) is at <paramref name="insidePath"/>.</summary>
    public bool Exists(string insidePath) => ExistsOnHost(ToHostPath(insidePath));

    public bool IsDirectory(string insidePath) => Directory.Exists(ToHostPath(insidePath));

    /// <summary>The deepest directory above <paramref name="insidePath"/> that exists (at least "/").</summary>
    public string ExistingAncestor(string insidePath)
    {
        var path = Normalize(insidePath);
        while (path != "/")
        {
            path = Parent(path);
            if (IsDirectory(path))
            {
                return path;
            }
        }

        return "/";
    }

    /// <summary>"/a//b/./c/" as "/a/b/c"; ".." is kept, as the kernel resolves it only after symbolic links.</summary>
    public static string Normalize(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
        return "/" + string.Join('/', parts);
    }

    public static string Parent(string normalized)
    {
        var slash = normalized.LastIndexOf('/');
        return slash <= 0 ? "/" : normalized[..slash];
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or below it (both normalized).</summary>
    public static bool IsAtOrBelow(string path, string directory) =>
        directory == "/" || path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);

    private static bool ExistsOnHost(string hostPath)
    {
        if (File.Exists(hostPath) || Directory.Exists(hostPath))
        {
            return true;
        }

        try
        {
            // A dangling symbolic link is still something at that path.
            return new FileInfo(hostPath).LinkTarget is not null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private (string HostPath, BindMount? Mount) Resolve(string insidePath)
    {
        var path = Normalize(insidePath);
        for (var i = _mounts.Count - 1; i >= 0; i--)
        {
            var target = Normalize(_mounts[i].Target);
            if (IsAtOrBelow(path, target))
            {
                var source = Normalize(_mounts[i].Source);
                var rest = target == "/" ? path : path[target.Length..];
                if (rest == "/")
                {
                    rest = "";
                }

                return (source == "/" ? (rest.Length == 0 ? "/" : rest) : source + rest, _mounts[i]);
            }
        }

        return (path, null);
    }
}
