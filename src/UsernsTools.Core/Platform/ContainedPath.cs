namespace UsernsTools.Platform;

/// <summary>
/// Keeps a path below a root folder that stands for another machine: every component below the root is checked
/// with lstat, and a symbolic link anywhere on the way is refused rather than followed. Whoever prepared the folder
/// could otherwise point <c>R/etc</c> or <c>R/proc/sys/...</c> at a file outside it, and a write as root would land
/// there. The running machine's own root needs no such check: nothing is outside <c>/</c>.
/// </summary>
internal static class ContainedPath
{
    /// <summary>
    /// The path of <paramref name="machinePath"/> below <paramref name="root"/>, after checking each existing component
    /// (the last one too when <paramref name="includeLast"/>). Components that do not exist yet end the walk: whatever
    /// creates them checks again.
    /// </summary>
    public static string Resolve(string root, string machinePath, bool includeLast)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(machinePath);
        var full = RootedPath.Combine(root, machinePath);
        if (MachineRoot.IsLive(root))
        {
            return full;
        }

        var parts = machinePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var walked = "";
        for (var i = 0; i < parts.Length; i++)
        {
            var last = i == parts.Length - 1;
            walked += "/" + parts[i];
            if (last && !includeLast)
            {
                break;
            }

            // An IOException (EACCES without root, EIO) goes to the caller, which knows the target to name.
            var status = UnixFile.LStat(RootedPath.Combine(root, walked));

            if (status is null)
            {
                break;
            }

            if (status.IsSymlink)
            {
                throw new UsernsException(
                    "TargetIsSymlink",
                    UsernsErrorCategory.InvalidData,
                    $"{walked} below the root {root} is a symbolic link; UsernsTools does not follow links below a root, so nothing outside it is touched. "
                    + "Replace the link with a real folder or file.",
                    walked);
            }

            if (!last && !status.IsDirectory)
            {
                throw new UsernsException("TargetNotDirectory", UsernsErrorCategory.InvalidData, $"{walked} below the root {root} is not a folder.", walked);
            }
        }

        return full;
    }
}
