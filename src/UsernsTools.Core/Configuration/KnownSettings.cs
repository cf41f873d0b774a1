using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>The settings UsernsTools changes: refusing any other name keeps a typo from writing an unrelated sysctl.</summary>
internal static class KnownSettings
{
    public const string MaxUserNamespaces = "user.max_user_namespaces";
    public const string UnprivilegedUsernsClone = "kernel.unprivileged_userns_clone";
    public const string UsernsRestrict = "kernel.userns_restrict";
    public const string AppArmorRestrictUnprivilegedUserns = "kernel.apparmor_restrict_unprivileged_userns";

    /// <summary>The RHEL 7 module parameter; only the kernel command line sets it.</summary>
    public const string Rhel7Switch = "user_namespace.enable";

    /// <summary>The kernel's int range for the user.max_*_namespaces limits.</summary>
    private const long IntMax = int.MaxValue;

    public static IReadOnlyList<SettingDefinition> All { get; } = new[]
    {
        new SettingDefinition(MaxUserNamespaces, 0, IntMax),
        new SettingDefinition("user.max_mnt_namespaces", 0, IntMax),
        new SettingDefinition("user.max_pid_namespaces", 0, IntMax),
        new SettingDefinition("user.max_net_namespaces", 0, IntMax),
        new SettingDefinition("user.max_ipc_namespaces", 0, IntMax),
        new SettingDefinition("user.max_uts_namespaces", 0, IntMax),
        new SettingDefinition("user.max_cgroup_namespaces", 0, IntMax),
        new SettingDefinition("user.max_time_namespaces", 0, IntMax),
        new SettingDefinition(UnprivilegedUsernsClone, 0, 1),
        new SettingDefinition(UsernsRestrict, 0, 1),
        new SettingDefinition(AppArmorRestrictUnprivilegedUserns, 0, 1),
        new SettingDefinition("kernel.apparmor_restrict_unprivileged_userns_complain", 0, 1),
        new SettingDefinition("kernel.apparmor_restrict_unprivileged_userns_force", 0, 1),
        new SettingDefinition("kernel.apparmor_restrict_unprivileged_unconfined", 0, 1),
    };

    /// <summary>The definition of <paramref name="name"/> (a sysctl name, also accepted with slashes); throws for anything else.</summary>
    public static SettingDefinition Get(string? name)
    {
        var key = (name ?? "").Trim().Replace('/', '.');
        if (string.Equals(key, Rhel7Switch, StringComparison.Ordinal))
        {
            throw new UsernsException(
                "BootOptionRequired",
                UsernsErrorCategory.InvalidOperation,
                "user_namespace.enable is a RHEL 7 boot option, not a sysctl: add user_namespace.enable=1 to the kernel command line "
                + "(grubby --update-kernel=ALL --args=user_namespace.enable=1) and reboot. Enable-UnprivilegedUserns describes the step.",
                name);
        }

        return All.FirstOrDefault(d => string.Equals(d.Name, key, StringComparison.Ordinal))
            ?? throw new UsernsException(
                "UnknownSetting",
                UsernsErrorCategory.InvalidArgument,
                $"'{name}' is not a setting UsernsTools manages. Known settings: {string.Join(", ", All.Select(d => d.Name))}.",
                name);
    }
}
