namespace UsernsTools.Probes.Bwrap;

/// <summary>Which bubblewrap invocation a probe tried.</summary>
public enum BwrapMode
{
    /// <summary><c>--unshare-user --uid 0 --gid 0 --ro-bind / /</c>: a user namespace is required and root must be mapped.</summary>
    Strict,

    /// <summary><c>--unshare-user-try</c>: bwrap skips the user namespace where none can be made.</summary>
    Try,

    /// <summary>Strict plus <c>--unshare-net</c>: loopback set-up needs CAP_NET_ADMIN inside the namespace.</summary>
    Network,

    /// <summary>Strict plus <c>--proc /proc</c>: mounting procfs needs CAP_SYS_ADMIN inside and an unmasked /proc outside.</summary>
    Proc,
}
