using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Probes.Bwrap;

/// <summary>
/// What went wrong in a bubblewrap probe: one value per family of bwrap messages (KNOWLEDGE.md section 4),
/// whatever the version or distribution wording, plus the cases where bwrap never ran.
/// </summary>
[JsonConverter(typeof(EnumNameConverter<BwrapErrorKind>))]
public enum BwrapErrorKind
{
    /// <summary>The probe succeeded.</summary>
    None,

    /// <summary>No bwrap on PATH (or at -BwrapPath).</summary>
    NotInstalled,

    /// <summary>The bwrap found is setuid (or setuid-root with file capabilities) and was deliberately not run.</summary>
    SetuidNotUsed,

    /// <summary>The helper could not be started (not executable, no switch to the subject, setpriv missing or refusing).</summary>
    LaunchFailed,

    /// <summary>The probe did not finish in time and was killed.</summary>
    Timeout,

    /// <summary><c>Creating new namespace failed, likely because the kernel does not support user namespaces</c> (EINVAL).</summary>
    KernelLacksUserNamespaces,

    /// <summary><c>No permissions to create(ing) (a) new namespace</c> (EPERM): sysctl, seccomp filter or chroot.</summary>
    NoPermissionToCreateNamespace,

    /// <summary><c>nesting depth or /proc/sys/user/max_*_namespaces exceeded (ENOSPC)</c>, or ENOSPC/EUSERS from older builds.</summary>
    NamespaceLimitExceeded,

    /// <summary><c>Creating new namespace failed: Permission denied</c> (EACCES): a security module refused.</summary>
    CreateDeniedBySecurityModule,

    /// <summary><c>setting up uid map: Permission denied</c>: the namespace exists but the map write was refused.</summary>
    UidMapDenied,

    /// <summary><c>setting up gid map</c> failed.</summary>
    GidMapDenied,

    /// <summary><c>error writing to setgroups</c> failed.</summary>
    SetgroupsDenied,

    /// <summary><c>loopback: Failed RTM_NEWADDR</c> (or RTM_NEWLINK): no CAP_NET_ADMIN inside the new namespaces.</summary>
    LoopbackSetupDenied,

    /// <summary><c>Can't mount proc on /newroot/proc</c>.</summary>
    ProcMountDenied,

    /// <summary><c>Failed to make / slave</c>: mounting is refused inside the namespace.</summary>
    MakeRootSlaveFailed,

    /// <summary><c>Unexpected capabilities but not setuid, old file caps config?</c>: bwrap carries file capabilities.</summary>
    UnexpectedCapabilities,

    /// <summary><c>setuid use of bubblewrap is not supported in this build</c> (0.11.2 and later).</summary>
    SetuidNotSupported,

    /// <summary><c>capset failed</c>: a setuid or file-capability bwrap could not take its capabilities (often a container).</summary>
    CapsetFailed,

    /// <summary>bwrap failed with a message this version of UsernsTools does not recognise.</summary>
    Unknown,
}
