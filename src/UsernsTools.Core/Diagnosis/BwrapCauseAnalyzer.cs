using UsernsTools.Facts;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Diagnosis;

/// <summary>
/// Correlates a classified bwrap failure with the machine's facts. Pure: the same message means different things
/// on Ubuntu with the AppArmor restriction, inside a container, or on gVisor. The diagnosis rules call this, and
/// <see cref="Explained"/> fills in a probe's <see cref="BwrapProbeResult.LikelyCause"/> at diagnosis time, so a
/// recorded probe is explained by this code, never by the code of the machine that recorded it.
/// </summary>
internal static class BwrapCauseAnalyzer
{
    public const string ApparmorRestrict = Facts.SettingNames.AppArmorRestrictUnprivilegedUserns;
    public const string UnprivilegedClone = Facts.SettingNames.UnprivilegedUsernsClone;
    public const string UsernsRestrict = Facts.SettingNames.UsernsRestrict;
    public const string MaxUserNamespaces = Facts.SettingNames.MaxUserNamespaces;
    public const string Rhel7Switch = "user_namespace.enable";

    /// <summary>The likely cause of <paramref name="result"/> on the machine of <paramref name="facts"/>, naming commands in <paramref name="words"/> (the cmdlets' when null).</summary>
    public static BwrapCause Explain(BwrapProbeResult result, MachineFacts facts, Configuration.FrontEndWords? words = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(facts);
        var denials = (words ?? Configuration.FrontEndWords.Cmdlets).Denials;
        var inContainer = facts.Environment.Container != ContainerKind.None;
        var apparmorRestricts = Value(facts, ApparmorRestrict) == "1" && facts.SecurityModules.AppArmorEnabled != false;
        var bwrapPath = result.Installation?.ResolvedPath ?? result.Installation?.Path;

        switch (result.ErrorKind)
        {
            case BwrapErrorKind.None:
                return new BwrapCause(null, false);

            case BwrapErrorKind.NotInstalled:
                return new BwrapCause("bubblewrap is not installed (or not on PATH): install the distribution's bubblewrap package.", false);

            case BwrapErrorKind.SetuidNotUsed:
                return new BwrapCause("The bwrap found is setuid or has file capabilities; UsernsTools never runs a privileged bwrap. Remove the setuid bit (chmod u-s) or the capabilities (setcap -r) and rely on user namespaces.", false);

            case BwrapErrorKind.LaunchFailed:
                return new BwrapCause("The probe could not be started as the subject (root could not switch to the user here, setpriv is missing for a bare uid, or the user cannot execute bwrap).", false);

            case BwrapErrorKind.Timeout:
                return new BwrapCause("bwrap did not finish in time: the machine is overloaded, or the sandboxed command hung.", false);

            case BwrapErrorKind.SetuidNotSupported:
                return new BwrapCause("This bwrap is setuid but its build (0.11.2 or later) refuses setuid use: remove the setuid bit (chmod u-s); the unprivileged mode works wherever user namespaces do.", false);

            case BwrapErrorKind.UnexpectedCapabilities:
                return new BwrapCause("bwrap carries file capabilities from an old packaging; remove them with setcap -r.", false);

            case BwrapErrorKind.CapsetFailed:
                return new BwrapCause(inContainer
                    ? "A privileged bwrap could not take capabilities inside this container; use a non-setuid bwrap with user namespaces instead."
                    : "A privileged bwrap could not take its capabilities; use a non-setuid bwrap with user namespaces instead.", false);

            case BwrapErrorKind.KernelLacksUserNamespaces:
                if (facts.Environment.Wsl == WslKind.Wsl1)
                {
                    return new BwrapCause("WSL1 has no user namespaces; convert the distribution to WSL2 (wsl --set-version <distro> 2).", false);
                }

                if (Value(facts, Rhel7Switch) is "N" or "0")
                {
                    return new BwrapCause("RHEL/CentOS 7 has user namespaces switched off: boot with user_namespace.enable=1.", false);
                }

                return new BwrapCause(facts.Process.UidMap is null
                    ? "This kernel has no user namespace support (no /proc/self/uid_map: built without CONFIG_USER_NS)."
                    : "The kernel returned EINVAL: a kernel without CONFIG_USER_NS, or a restricted environment.", false);

            case BwrapErrorKind.NoPermissionToCreateNamespace:
                if (Value(facts, UnprivilegedClone) == "0")
                {
                    return new BwrapCause("kernel.unprivileged_userns_clone is 0: only privileged processes may create user namespaces. Set it to 1 (sysctl drop-in).", false);
                }

                if (Value(facts, UsernsRestrict) == "1")
                {
                    return new BwrapCause("kernel.userns_restrict is 1 (ALT Linux): unprivileged user namespaces are restricted. Set it to 0.", false);
                }

                if (facts.Process.Seccomp == 2 || inContainer)
                {
                    return new BwrapCause("A seccomp filter (this process runs " + (inContainer ? "in a " + facts.Environment.Container + " container" : "under a filter") + ") refuses unshare/clone with CLONE_NEWUSER: the container needs a profile allowing it (or CAP_SYS_ADMIN with Docker's default profile).", false);
                }

                if (facts.Environment.InChroot == true)
                {
                    return new BwrapCause("This process runs in a chroot, where the kernel refuses to create user namespaces.", false);
                }

                return new BwrapCause("Creating user namespaces is not permitted here (EPERM); no sysctl, seccomp filter or chroot explains it from the facts read.", false);

            case BwrapErrorKind.NamespaceLimitExceeded:
                if (Value(facts, MaxUserNamespaces) == "0")
                {
                    return new BwrapCause("user.max_user_namespaces is 0: nobody may create user namespaces. Raise it (sysctl drop-in); hardening guides (DISA STIG) set 0 on hosts without containers.", false);
                }

                if (facts.Process.InInitialUserNamespace == false)
                {
                    return new BwrapCause("This process runs inside a user namespace whose (or whose parent's) max_user_namespaces is 0 or used up, or the nesting depth of 32 is reached; the limit must be raised where it was set.", false);
                }

                return new BwrapCause("The user namespace limit (user.max_user_namespaces or another max_*_namespaces) is used up.", false);

            case BwrapErrorKind.CreateDeniedBySecurityModule:
                if (facts.SecurityModules.AppArmorEnabled == true && (facts.SecurityModules.AppArmorMediatesUserns || apparmorRestricts))
                {
                    var hasProfile = HasUsernsProfile(facts, bwrapPath);
                    return new BwrapCause(hasProfile
                        ? "AppArmor denied userns_create although a profile with 'userns,' attaches to " + bwrapPath + ": check that it is loaded (apparmor_parser -r) and that no second profile attaches to the same path."
                        : "AppArmor denied userns_create: the profile confining bwrap lacks the 'userns,' rule. A per-program profile for " + (bwrapPath ?? "bwrap") + " with 'userns,' fixes it.", true);
                }

                if (facts.SecurityModules.SelinuxEnforcing == true)
                {
                    return new BwrapCause("SELinux denied user_namespace { create } for this domain: allow it in the policy (see the AVC in the audit log).", false);
                }

                return new BwrapCause("A security module denied creating the user namespace (EACCES); look for the denial in the audit log (" + denials + ").", false);

            case BwrapErrorKind.UidMapDenied:
            case BwrapErrorKind.GidMapDenied:
            case BwrapErrorKind.SetgroupsDenied:
            case BwrapErrorKind.LoopbackSetupDenied:
            case BwrapErrorKind.ProcMountDenied:
            case BwrapErrorKind.MakeRootSlaveFailed:
                return ExplainInsideFailure(result.ErrorKind, facts, inContainer, apparmorRestricts, bwrapPath, denials);

            default:
                return new BwrapCause("bwrap failed with an unrecognised message; read StandardError and the audit log (" + denials + ").", false);
        }
    }

    private static BwrapCause ExplainInsideFailure(BwrapErrorKind kind, MachineFacts facts, bool inContainer, bool apparmorRestricts, string? bwrapPath, string denials)
    {
        if (kind == BwrapErrorKind.LoopbackSetupDenied && facts.Environment.Gvisor)
        {
            return new BwrapCause("On gVisor loopback is pre-configured and this failure is harmless; run bwrap with --share-net.", false);
        }

        if (kind == BwrapErrorKind.ProcMountDenied && ProcMasking.Covering(facts.Environment) is { Count: > 0 } covering)
        {
            return new BwrapCause(ProcMasking.Cause(covering, facts.Environment) + " " + ProcMasking.Fix(facts.Environment, facts.Process.Seccomp), false);
        }

        if (apparmorRestricts && !inContainer)
        {
            return new BwrapCause(
                "kernel.apparmor_restrict_unprivileged_userns is 1: the namespace was moved into the 'unprivileged_userns' AppArmor profile, which denies the capabilities this step needs (Ubuntu 23.10 and later). "
                + (HasUsernsProfile(facts, bwrapPath)
                    ? "A profile with 'userns,' attaches to " + bwrapPath + " but did not apply: check it is loaded and unique for that path."
                    : "A per-program AppArmor profile for " + (bwrapPath ?? "bwrap") + " with the 'userns,' rule fixes it without lifting the restriction for everyone."),
                true);
        }

        if (inContainer)
        {
            return kind switch
            {
                BwrapErrorKind.ProcMountDenied when ProcMasking.Covering(facts.Environment) is { Count: 0 } => new BwrapCause("Nothing covers part of /proc in this " + facts.Environment.Container + " container, so its seccomp, AppArmor or SELinux policy forbids mounting procfs in nested namespaces.", false),
                BwrapErrorKind.ProcMountDenied => new BwrapCause("Inside a " + facts.Environment.Container + " container /proc usually has masked sub-paths, and the kernel then refuses a new procfs; run the container with an unmasked /proc (Docker `--security-opt systempaths=unconfined`, Podman `--security-opt unmask=ALL`, Kubernetes `procMount: Unmasked` with `hostUsers: false`) or let the sandbox bind the existing /proc instead of `--unshare-pid --proc /proc`.", false),
                BwrapErrorKind.MakeRootSlaveFailed => new BwrapCause("The " + facts.Environment.Container + " container's seccomp or AppArmor profile forbids mount operations inside nested namespaces.", false),
                _ => new BwrapCause("Inside a " + facts.Environment.Container + " container the outer user namespace or the container's seccomp/AppArmor policy refuses this step; this is not the Ubuntu unprivileged_userns profile, so an AppArmor profile on the host's bwrap will not help.", false),
            };
        }

        if (facts.SecurityModules.AppArmorEnabled == true && facts.SecurityModules.AppArmorUnconfinedRestrictsUserns)
        {
            return new BwrapCause("This AppArmor can restrict unconfined user namespaces (" + ApparmorRestrict + "); a restriction or profile confining bwrap removed the capabilities this step needs. A per-program profile with 'userns,' fixes it.", true);
        }

        return new BwrapCause(kind switch
        {
            BwrapErrorKind.LoopbackSetupDenied => "The new network namespace has no CAP_NET_ADMIN; a security policy (AppArmor or SELinux) is removing capabilities in new user namespaces.",
            BwrapErrorKind.ProcMountDenied when ProcMasking.Covering(facts.Environment) is { Count: 0 } => "Mounting procfs was refused although nothing covers part of /proc here: a security policy (seccomp, AppArmor or SELinux) forbids the mount.",
            BwrapErrorKind.ProcMountDenied => "Mounting procfs was refused: /proc has over-mounted paths here, or a security policy forbids mount.",
            _ => "The user namespace was created but this step was refused; a security policy is removing capabilities in new user namespaces (see " + denials + ").",
        }, false);
    }

    /// <summary>
    /// The probe with the likely cause on the machine of <paramref name="facts"/>: what the probe recorded (exit code,
    /// standard error, the failure it read from them) stays; a cause it carries from an earlier diagnosis is replaced.
    /// </summary>
    public static BwrapProbeResult Explained(BwrapProbeResult result, MachineFacts facts, Configuration.FrontEndWords? words = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var cause = Explain(result, facts, words);
        return result.WithCause(cause.Text, cause.AppArmorProfileFixApplies);
    }

    private static bool HasUsernsProfile(MachineFacts facts, string? bwrapPath)
        => bwrapPath is not null && facts.SecurityModules.AppArmorProfiles.Any(p => p.GrantsUserns && string.Equals(p.Attachment, bwrapPath, StringComparison.Ordinal));

    private static string? Value(MachineFacts facts, string name) => facts.Setting(name)?.RuntimeValue?.Trim();
}
