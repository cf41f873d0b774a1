using UsernsTools.Facts;

namespace UsernsTools.Diagnosis;

/// <summary>
/// Why a new procfs is refused where /proc is masked, and what lifts the mask from where the user stands. Pure: reads
/// only recorded facts, so a report recorded in a container explains the failure on any machine.
/// </summary>
internal static class ProcMasking
{
    /// <summary>
    /// Mount points the kernel creates permanently empty for file systems mounted there (binfmt_misc, nfsd, openprom);
    /// a mount on one hides nothing, so the kernel does not count it against a new procfs.
    /// </summary>
    private static readonly HashSet<string> s_emptyMountPoints = new(StringComparer.Ordinal)
    {
        "/proc/sys/fs/binfmt_misc", "/proc/fs/nfsd", "/proc/openprom",
    };

    /// <summary>How many mount points a sentence names before it says how many more there are.</summary>
    private const int NamedInText = 6;

    /// <summary>The recorded mounts that cover content of /proc; null when mountinfo was not read.</summary>
    public static IReadOnlyList<ProcOvermount>? Covering(EnvironmentFacts environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.ProcOvermounts?.Where(m => !s_emptyMountPoints.Contains(m.MountPoint)).ToArray();
    }

    /// <summary>"/proc/keys, /proc/acpi and 9 more".</summary>
    public static string Names(IReadOnlyList<ProcOvermount> mounts)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        var named = string.Join(", ", mounts.Take(NamedInText).Select(m => m.MountPoint));
        return mounts.Count > NamedInText ? $"{named} and {mounts.Count - NamedInText} more" : named;
    }

    /// <summary>One mount as evidence: where, what covers it, and from where.</summary>
    public static string Describe(ProcOvermount mount)
    {
        ArgumentNullException.ThrowIfNull(mount);
        var what = mount.Root is "/" or "" ? mount.FileSystemType : $"{mount.FileSystemType} {mount.Root}";
        return $"/proc/self/mountinfo: {mount.MountPoint} is covered by {what} ({mount.Source}, {(mount.ReadOnly ? "ro" : "rw")})";
    }

    /// <summary>The kernel's rule, with this machine's covering mounts.</summary>
    public static string Cause(IReadOnlyList<ProcOvermount> covering, EnvironmentFacts environment)
    {
        ArgumentNullException.ThrowIfNull(covering);
        ArgumentNullException.ThrowIfNull(environment);
        var where = environment.Container == ContainerKind.None
            ? ""
            : $" This process runs in a {environment.Container} container ({string.Join(", ", environment.ContainerEvidence ?? Array.Empty<string>())}), whose runtime masks these paths.";
        var mounts = covering.Count == 1 ? "1 mount covers" : $"{covering.Count} mounts cover";
        return $"The kernel refuses a new procfs to a new user namespace while parts of the existing /proc are covered by other mounts; here {mounts} parts of it: {Names(covering)}.{where}";
    }

    /// <summary>
    /// How to unmask /proc from where the user stands, then how a sandbox can do without a new procfs.
    /// <paramref name="seccomp"/> is the Seccomp mode of /proc/self/status: with a filter (2) it may block too, with
    /// none (0) it cannot, and unknown (null) it might.
    /// </summary>
    public static string Fix(EnvironmentFacts environment, int? seccomp, Configuration.FrontEndWords? words = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        words ??= Configuration.FrontEndWords.Cmdlets;
        var unmask = environment.Container switch
        {
            ContainerKind.Docker =>
                "Start the container with `--security-opt systempaths=unconfined` (Docker then leaves /proc unmasked). "
                + seccomp switch
                {
                    0 => "",
                    2 => "A seccomp filter is active here too (Seccomp: 2): if bwrap then fails with `No permissions to create a new namespace` or at a mount, give the container a profile that allows unshare, clone and clone3 with namespace flags and mount (`--security-opt seccomp=/path/to/profile.json`). ",
                    _ => "If bwrap then fails with `No permissions to create a new namespace`, Docker's seccomp profile refuses it: use one that allows unshare, clone and clone3 with namespace flags and mount (`--security-opt seccomp=/path/to/profile.json`). ",
                }
                + "If it fails with `Failed to make / slave`, the docker-default AppArmor profile refuses mount: add `--security-opt apparmor=unconfined` or a profile that allows it. Avoid `--privileged` as a first choice: it grants every capability and device.",
            ContainerKind.Podman =>
                "Start the container with `--security-opt unmask=ALL` (or unmask only the paths listed, e.g. `--security-opt unmask=/proc/*`). If bwrap then fails with `Failed to make / slave`, its SELinux or AppArmor label refuses mount: add `--security-opt label=disable` or `--security-opt apparmor=unconfined`.",
            ContainerKind.Kubernetes =>
                "Set `securityContext.procMount: Unmasked` on the container (the ProcMountType feature); the API accepts it only in a pod with its own user namespace, `hostUsers: false` in the pod spec, which keeps the unmasked /proc harmless to the node.",
            ContainerKind.None =>
                "Outside a container something mounted over /proc in this mount namespace: unmount those paths there (as root, `umount` each mount point listed) or run from a mount namespace without them.",
            _ =>
                "Start the container without masked /proc paths (its runtime's option for unmasked or unconfined system paths).",
        };
        return unmask
            + $" Where the sandbox can do without a new pid namespace, it needs no new procfs: bwrap without `--unshare-pid`/`--proc` (bind the existing /proc with `--ro-bind /proc /proc`), `{words.Run}` without `{words.MountProc}`. Flatpak always asks for both, so only unmasking /proc lets its apps start.";
    }
}
