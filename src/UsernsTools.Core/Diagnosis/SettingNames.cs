namespace UsernsTools.Diagnosis;

/// <summary>The sysctl names (and the RHEL 7 module switch) the rules read.</summary>
internal static class SettingNames
{
    public const string UnprivilegedUsernsClone = "kernel.unprivileged_userns_clone";
    public const string UsernsRestrict = "kernel.userns_restrict";
    public const string MaxUserNamespaces = "user.max_user_namespaces";
    public const string AppArmorRestrict = "kernel.apparmor_restrict_unprivileged_userns";
    public const string AppArmorRestrictComplain = "kernel.apparmor_restrict_unprivileged_userns_complain";
    public const string AppArmorRestrictForce = "kernel.apparmor_restrict_unprivileged_userns_force";
    public const string AppArmorRestrictUnconfined = "kernel.apparmor_restrict_unprivileged_unconfined";

    /// <summary>/sys/module/user_namespace/parameters/enable on RHEL/CentOS 7.0-7.3.</summary>
    public const string UserNamespaceEnable = "user_namespace.enable";

    /// <summary>The other namespace kinds' limits, with the probe that creates each kind.</summary>
    public static IReadOnlyList<(string Setting, string Probe, string FindingId)> OtherKindLimits { get; } = new[]
    {
        ("user.max_mnt_namespaces", Probes.ProbeNames.Mount, FindingIds.MaxMntNamespacesZero),
        ("user.max_pid_namespaces", Probes.ProbeNames.Pid, FindingIds.MaxPidNamespacesZero),
        ("user.max_net_namespaces", Probes.ProbeNames.Net, FindingIds.MaxNetNamespacesZero),
        ("user.max_ipc_namespaces", Probes.ProbeNames.Ipc, FindingIds.MaxIpcNamespacesZero),
        ("user.max_uts_namespaces", Probes.ProbeNames.Uts, FindingIds.MaxUtsNamespacesZero),
        ("user.max_cgroup_namespaces", Probes.ProbeNames.Cgroup, FindingIds.MaxCgroupNamespacesZero),
        ("user.max_time_namespaces", Probes.ProbeNames.Time, FindingIds.MaxTimeNamespacesZero),
    };
}
