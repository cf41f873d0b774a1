namespace UsernsTools.Platform;

/// <summary>Tells the running machine's root apart from a folder that stands for another machine.</summary>
internal static class MachineRoot
{
    /// <summary>
    /// True when <paramref name="root"/> is this machine's <c>/</c>: only then may the engine run programs,
    /// ask NSS or read /proc of the running process and trust the answers to describe that root.
    /// </summary>
    public static bool IsLive(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (root.Length == 0 || root == "/")
        {
            return true;
        }

        return root.TrimEnd('/').Length == 0 || Path.GetFullPath(root).TrimEnd('/').Length == 0;
    }
}
