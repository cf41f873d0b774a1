using UsernsTools.Facts;
using UsernsTools.Probes;

namespace UsernsTools.Diagnosis;

/// <summary>The limits of the namespace kinds other than user, with the probe that creates each kind and the finding of a zero limit.</summary>
internal static class NamespaceKindLimits
{
    public static IReadOnlyList<(string Setting, string Probe, string FindingId)> All { get; } = new[]
    {
        (SettingNames.MaxMntNamespaces, ProbeNames.Mount, FindingIds.MaxMntNamespacesZero),
        (SettingNames.MaxPidNamespaces, ProbeNames.Pid, FindingIds.MaxPidNamespacesZero),
        (SettingNames.MaxNetNamespaces, ProbeNames.Net, FindingIds.MaxNetNamespacesZero),
        (SettingNames.MaxIpcNamespaces, ProbeNames.Ipc, FindingIds.MaxIpcNamespacesZero),
        (SettingNames.MaxUtsNamespaces, ProbeNames.Uts, FindingIds.MaxUtsNamespacesZero),
        (SettingNames.MaxCgroupNamespaces, ProbeNames.Cgroup, FindingIds.MaxCgroupNamespacesZero),
        (SettingNames.MaxTimeNamespaces, ProbeNames.Time, FindingIds.MaxTimeNamespacesZero),
    };
}
