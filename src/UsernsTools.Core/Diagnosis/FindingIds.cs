namespace UsernsTools.Diagnosis;

/// <summary>
/// The stable identifiers of findings. Scripts filter on them (<c>Where-Object Id -eq ...</c>), so a value
/// never changes once released; a new cause gets a new identifier.
/// </summary>
internal static class FindingIds
{
    /// <summary>kernel.unprivileged_userns_clone is 0 (Debian, Ubuntu and Arch kernels).</summary>
    public const string UnprivilegedUsernsCloneDisabled = "UnprivilegedUsernsCloneDisabled";

    /// <summary>kernel.userns_restrict is 1 (ALT Linux kernels).</summary>
    public const string UsernsRestrictEnabled = "UsernsRestrictEnabled";

    /// <summary>user.max_user_namespaces is 0: nobody, root included, may create a user namespace.</summary>
    public const string MaxUserNamespacesZero = "MaxUserNamespacesZero";

    /// <summary>user.max_user_namespaces is above 0 but low enough to run out.</summary>
    public const string MaxUserNamespacesLow = "MaxUserNamespacesLow";

    /// <summary>user.max_mnt_namespaces is 0: no sandbox can build its own file-system view.</summary>
    public const string MaxMntNamespacesZero = "MaxMntNamespacesZero";

    /// <summary>user.max_pid_namespaces is 0.</summary>
    public const string MaxPidNamespacesZero = "MaxPidNamespacesZero";

    /// <summary>user.max_net_namespaces is 0.</summary>
    public const string MaxNetNamespacesZero = "MaxNetNamespacesZero";

    /// <summary>user.max_ipc_namespaces is 0.</summary>
    public const string MaxIpcNamespacesZero = "MaxIpcNamespacesZero";

    /// <summary>user.max_uts_namespaces is 0.</summary>
    public const string MaxUtsNamespacesZero = "MaxUtsNamespacesZero";

    /// <summary>user.max_cgroup_namespaces is 0.</summary>
    public const string MaxCgroupNamespacesZero = "MaxCgroupNamespacesZero";

    /// <summary>user.max_time_namespaces is 0.</summary>
    public const string MaxTimeNamespacesZero = "MaxTimeNamespacesZero";

    /// <summary>A configuration file sets user.max_user_namespaces to 0 on purpose (hardening, e.g. the DISA STIG).</summary>
    public const string UsernsDisabledByHardening = "UsernsDisabledByHardening";

    /// <summary>RHEL/CentOS 7.0-7.3: the user_namespace.enable module switch is N.</summary>
    public const string UserNamespaceModuleDisabled = "UserNamespaceModuleDisabled";

    /// <summary>/proc/self/uid_map is missing: the kernel was built without user namespaces.</summary>
    public const string KernelWithoutUserNamespaces = "KernelWithoutUserNamespaces";

    /// <summary>Ubuntu: kernel.apparmor_restrict_unprivileged_userns is 1.</summary>
    public const string AppArmorRestrictsUserns = "AppArmorRestrictsUserns";

    /// <summary>Ubuntu: the AppArmor user namespace restriction only logs (complain mode).</summary>
    public const string AppArmorUsernsComplainMode = "AppArmorUsernsComplainMode";

    /// <summary>Ubuntu: the AppArmor user namespace restriction is forced.</summary>
    public const string AppArmorUsernsForceMode = "AppArmorUsernsForceMode";

    /// <summary>kernel.apparmor_restrict_unprivileged_unconfined is 1.</summary>
    public const string AppArmorRestrictsUnconfined = "AppArmorRestrictsUnconfined";

    /// <summary>An AppArmor profile attaches to bwrap without a <c>userns,</c> rule.</summary>
    public const string BwrapAppArmorProfileLacksUserns = "BwrapAppArmorProfileLacksUserns";

    /// <summary>Two AppArmor profiles attach to the same program.</summary>
    public const string AppArmorProfilesConflict = "AppArmorProfilesConflict";

    /// <summary>SELinux is enforcing and its policy mediates user namespace creation.</summary>
    public const string SelinuxMediatesUserns = "SelinuxMediatesUserns";

    /// <summary>SELinux is enforcing and creation failed with EACCES with no AppArmor cause.</summary>
    public const string SelinuxDeniesUserns = "SelinuxDeniesUserns";

    /// <summary>A seccomp filter (container, systemd RestrictNamespaces) refuses namespace creation.</summary>
    public const string SeccompBlocksUserns = "SeccompBlocksUserns";

    /// <summary>A seccomp filter is active in a container and no probe showed whether it allows namespaces.</summary>
    public const string SeccompFilterActive = "SeccompFilterActive";

    /// <summary>NoNewPrivs is set: setuid helpers such as newuidmap cannot gain privileges.</summary>
    public const string NoNewPrivsSet = "NoNewPrivsSet";

    /// <summary>WSL1 has no user namespaces.</summary>
    public const string Wsl1NoUserNamespaces = "Wsl1NoUserNamespaces";

    /// <summary>gVisor: loopback is pre-configured, so bwrap's RTM_NEWADDR error is harmless.</summary>
    public const string GvisorLoopback = "GvisorLoopback";

    /// <summary>The process already runs inside a user namespace.</summary>
    public const string InsideUserNamespace = "InsideUserNamespace";

    /// <summary>Inside a user namespace, creation fails with ENOSPC although the visible limit is above 0.</summary>
    public const string NestingLimitReached = "NestingLimitReached";

    /// <summary>The process runs in a chroot, where creating a user namespace fails with EPERM.</summary>
    public const string ChrootBlocksUserns = "ChrootBlocksUserns";

    /// <summary>bwrap is installed setuid root.</summary>
    public const string SetuidBwrap = "SetuidBwrap";

    /// <summary>bubblewrap is not installed: nothing is broken, but bwrap-based sandboxes cannot run.</summary>
    public const string BwrapNotInstalled = "BwrapNotInstalled";

    /// <summary>bwrap created the user namespace but writing its uid map (or gid map, setgroups) was refused.</summary>
    public const string BwrapUidMapDenied = "BwrapUidMapDenied";

    /// <summary>bwrap --unshare-net could not bring up loopback (RTM_NEWADDR) in the new network namespace.</summary>
    public const string BwrapLoopbackDenied = "BwrapLoopbackDenied";

    /// <summary>bwrap --proc could not mount a new procfs (or make / a slave mount).</summary>
    public const string BwrapProcMountDenied = "BwrapProcMountDenied";

    /// <summary>A bwrap probe failed in a way no other finding explains.</summary>
    public const string BwrapProbeFailed = "BwrapProbeFailed";

    /// <summary>util-linux unshare is not installed.</summary>
    public const string UnshareMissing = "UnshareMissing";

    /// <summary>util-linux setpriv is not installed.</summary>
    public const string SetprivMissing = "SetprivMissing";

    /// <summary>util-linux unshare is older than the options UsernsTools and scripts use.</summary>
    public const string UnshareTooOld = "UnshareTooOld";

    /// <summary>newuidmap or newgidmap (needed by rootless Podman) is not installed.</summary>
    public const string NewuidmapMissing = "NewuidmapMissing";

    /// <summary>newuidmap or newgidmap has neither the setuid bit nor file capabilities.</summary>
    public const string NewuidmapNotPrivileged = "NewuidmapNotPrivileged";

    /// <summary>The subject has no range in /etc/subuid or /etc/subgid.</summary>
    public const string SubordinateIdsMissing = "SubordinateIdsMissing";

    /// <summary>A subordinate range of the subject includes the subject's own uid or gid.</summary>
    public const string SubordinateIdsContainOwnId = "SubordinateIdsContainOwnId";

    /// <summary>A subordinate range of the subject overlaps another user's.</summary>
    public const string SubordinateIdsOverlap = "SubordinateIdsOverlap";

    /// <summary>A subordinate range of the subject has fewer than 65536 ids.</summary>
    public const string SubordinateIdsTooFew = "SubordinateIdsTooFew";

    /// <summary>The value boot applies differs from the running value.</summary>
    public const string PersistedValueDiffers = "PersistedValueDiffers";

    /// <summary>Several files assign the same key; one wins, the others are ignored.</summary>
    public const string SettingShadowed = "SettingShadowed";

    /// <summary>Creation failed with EPERM and no fact explains it.</summary>
    public const string UnexplainedEperm = "UnexplainedEperm";

    /// <summary>Creation failed with EACCES and no fact explains it.</summary>
    public const string UnexplainedEacces = "UnexplainedEacces";

    /// <summary>Creation failed with ENOSPC (or EUSERS) although the limits are above 0.</summary>
    public const string UnexplainedEnospc = "UnexplainedEnospc";

    /// <summary>Creation failed with EINVAL and no fact explains it.</summary>
    public const string UnexplainedEinval = "UnexplainedEinval";

    /// <summary>Creation failed with ENOSYS and no fact explains it.</summary>
    public const string UnexplainedEnosys = "UnexplainedEnosys";

    /// <summary>The namespace was created but writing its id maps was refused, and no fact explains it.</summary>
    public const string UnexplainedMapFailure = "UnexplainedMapFailure";

    /// <summary>A probe failed in a way no other finding explains.</summary>
    public const string UnexplainedProbeFailure = "UnexplainedProbeFailure";

    /// <summary>A probe did not finish in time.</summary>
    public const string ProbeTimedOut = "ProbeTimedOut";
}
