namespace UsernsTools.Sandbox;

/// <summary>
/// Mount points under a read-only root. bwrap creates a missing bind target with mkdir, which fails on the
/// read-only bind of the host's root ("Can't mkdir /data: Read-only file system"). So the directory that
/// would have to hold the new mount point is rebuilt: a tmpfs with a read-only bind (or the same symbolic
/// link) for each of its host entries, in which bwrap can then create the mount point; the tmpfs is made
/// read-only again once every mount is in place. The host is never written, and everything it has stays
/// visible, read-only, at the same paths.
/// </summary>
internal static class ReadOnlyMountPoints
{
    /// <summary>
    /// The directories of the read-only root to rebuild, parents first (empty unless the root is read-only and a
    /// bind target is missing). A missing target inside an earlier bind mount is not rebuilt: the mount point would be
    /// created in that mount's host source, and <see cref="SandboxPreflight"/> refuses the run.
    /// </summary>
    public static IReadOnlyList<string> DirectoriesToRebuild(NamespaceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!spec.ReadOnlyRoot)
        {
            return Array.Empty<string>();
        }

        var rebuild = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, view, ancestor) in MissingTargets(spec))
        {
            // In the fresh (writable) /dev bwrap can create it; inside an earlier bind mount it would be made in that mount's
            // host source, which the preflight refuses (BindMountTargetOnHost).
            if (view.MountOf(ancestor) is not null || SandboxPathView.IsAtOrBelow(ancestor, "/dev"))
            {
                continue;
            }

            // A directory the caller cannot list cannot be rebuilt: bwrap then reports the mount point itself.
            if (CanList(ancestor))
            {
                rebuild.Add(ancestor);
            }
        }

        return rebuild.OrderBy(d => d == "/" ? 0 : d.Count(c => c == '/')).ThenBy(d => d, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Each bind target that does not exist where it is mounted (the host's tree as the earlier mounts make it), with that
    /// view and the deepest directory of the target that does exist.
    /// </summary>
    public static IEnumerable<(string Target, SandboxPathView View, string ExistingAncestor)> MissingTargets(NamespaceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        for (var i = 0; i < spec.BindMounts.Count; i++)
        {
            var view = new SandboxPathView(spec.BindMounts.Take(i).ToList());
            var target = SandboxPathView.Normalize(spec.BindMounts[i].Target);
            if (!view.Exists(target))
            {
                yield return (target, view, view.ExistingAncestor(target));
            }
        }
    }

    private static bool CanList(string directory)
    {
        try
        {
            _ = Entries(directory);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The host entries of <paramref name="directory"/>, sorted: full path and, for a symbolic link, its target.</summary>
    public static IEnumerable<(string Path, string? LinkTarget)> Entries(string directory)
    {
        var prefix = directory == "/" ? "/" : directory + "/";
        return new DirectoryInfo(directory)
            .EnumerateFileSystemInfos()
            .Select(entry => (prefix + entry.Name, entry.LinkTarget))
            .OrderBy(entry => entry.Item1, StringComparer.Ordinal)
            .ToList();
    }
}
