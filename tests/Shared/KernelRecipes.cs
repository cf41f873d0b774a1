namespace UsernsTools.Tests;

/// <summary>
/// Argv prefixes that reproduce a restricted machine on the real kernel without touching the host (KNOWLEDGE.md
/// section 8). Each is a fixed script; the command under test comes after it as arguments, never spliced into it.
/// </summary>
public static class KernelRecipes
{
    /// <summary>
    /// A container's masked /proc (Docker, Podman, Kubernetes without <c>procMount: Unmasked</c>): new user, mount and
    /// pid namespaces with their own /proc, and /dev/null bound over /proc/keys as container runtimes do. A new procfs
    /// for a new pid namespace (<c>bwrap --unshare-pid --proc /proc</c>) is then refused, while one for the same pid
    /// namespace is not.
    /// </summary>
    public static IReadOnlyList<string> MaskedProc { get; } = new[]
    {
        "unshare", "--user", "--map-root-user", "--mount", "--pid", "--fork", "--mount-proc",
        "sh", "-c", "mount --bind /dev/null /proc/keys && exec \"$@\"", "sh",
    };
}
