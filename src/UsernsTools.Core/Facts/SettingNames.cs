namespace UsernsTools.Facts;

/// <summary>
/// The names of the kernel settings that govern user namespaces, as <c>Get-UsernsSetting -Name</c> completes them
/// and as <see cref="UsernsSetting.Name"/> reports them. Kept in the engine so the module and the CLI offer the same list.
/// </summary>
public static class SettingNames
{
    public const string MaxUserNamespaces = "user.max_user_namespaces";
    public const string MaxMntNamespaces = "user.max_mnt_namespaces";
    public const string MaxPidNamespaces = "user.max_pid_namespaces";
    public const string MaxNetNamespaces = "user.max_net_namespaces";
    public const string MaxIpcNamespaces = "user.max_ipc_namespaces";
    public const string MaxUtsNamespaces = "user.max_uts_namespaces";
    public const string MaxCgroupNamespaces = "user.max_cgroup_namespaces";
    public const string MaxTimeNamespaces = "user.max_time_namespaces";
    public const string UnprivilegedUsernsClone = "kernel.unprivileged_userns_clone";
    public const string UsernsRestrict = "kernel.userns_restrict";
    public const string AppArmorRestrictUnprivilegedUserns = "kernel.apparmor_restrict_unprivileged_userns";
    public const string AppArmorRestrictUnprivilegedUsernsComplain = "kernel.apparmor_restrict_unprivileged_userns_complain";
    public const string AppArmorRestrictUnprivilegedUsernsForce = "kernel.apparmor_restrict_unprivileged_userns_force";
    public const string AppArmorRestrictUnprivilegedUnconfined = "kernel.apparmor_restrict_unprivileged_unconfined";

    /// <summary>The RHEL 7 boot switch (/sys/module/user_namespace/parameters/enable), not a sysctl.</summary>
    public const string UserNamespaceEnable = "user_namespace.enable";

    /// <summary>Every known name, user limits first, in the order a person reads them.</summary>
    public static IReadOnlyList<string> All { get; } = new[]
    {
        MaxUserNamespaces,
        MaxMntNamespaces,
        MaxPidNamespaces,
        MaxNetNamespaces,
        MaxIpcNamespaces,
        MaxUtsNamespaces,
        MaxCgroupNamespaces,
        MaxTimeNamespaces,
        UnprivilegedUsernsClone,
        UsernsRestrict,
        AppArmorRestrictUnprivilegedUserns,
        AppArmorRestrictUnprivilegedUsernsComplain,
        AppArmorRestrictUnprivilegedUsernsForce,
        AppArmorRestrictUnprivilegedUnconfined,
        UserNamespaceEnable,
    };
}
