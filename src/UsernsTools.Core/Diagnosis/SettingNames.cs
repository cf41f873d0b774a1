namespace UsernsTools.Diagnosis;

/// <summary>The sysctl names (and the RHEL 7 module switch) the rules read.</summary>
internal static class SettingNames
{
    public const string UnprivilegedUsernsClone = Facts.SettingNames.UnprivilegedUsernsClone;
    public const string UsernsRestrict = Facts.SettingNames.UsernsRestrict;
    public const string MaxUserNamespaces = Facts.SettingNames.MaxUserNamespaces;
    public const string AppArmorRestrict = Facts.SettingNames.AppArmorRestrictUnprivilegedUserns;
    public const string AppArmorRestrictComplain = Facts.SettingNames.AppArmorRestrictUnprivilegedUsernsComplain;
    public const string AppArmorRestrictForce = Facts.SettingNames.AppArmorRestrictUnprivilegedUsernsForce;
    public const string AppArmorRestrictUnconfined = Facts.SettingNames.AppArmorRestrictUnprivilegedUnconfined;

    /// <summary>/sys/module/user_namespace/parameters/enable on RHEL/CentOS 7.0-7.3.</summary>
    public const string UserNamespaceEnable = Facts.SettingNames.UserNamespaceEnable;

    /// <summary>The other namespace kinds' limits, with the probe that creates each kind.</summary>
    public static IReadOnlyList<(string Setting, string Probe, string FindingId)> OtherKindLimits { get; } = new[]
    {
        (Facts.SettingNames.MaxMntNamespaces, Probes.ProbeNames.Mount, FindingIds.MaxMntNamespacesZero),
        (Facts.SettingNames.MaxPidNamespaces, Probes.ProbeNames.Pid, FindingIds.MaxPidNamespacesZero),
        (Facts.SettingNames.MaxNetNamespaces, Probes.ProbeNames.Net, FindingIds.MaxNetNamespacesZero),
        (Facts.SettingNames.MaxIpcNamespaces, Probes.ProbeNames.Ipc, FindingIds.MaxIpcNamespacesZero),
        (Facts.SettingNames.MaxUtsNamespaces, Probes.ProbeNames.Uts, FindingIds.MaxUtsNamespacesZero),
        (Facts.SettingNames.MaxCgroupNamespaces, Probes.ProbeNames.Cgroup, FindingIds.MaxCgroupNamespacesZero),
        (Facts.SettingNames.MaxTimeNamespaces, Probes.ProbeNames.Time, FindingIds.MaxTimeNamespacesZero),
    };
}
