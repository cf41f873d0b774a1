using System.Globalization;
using UsernsTools.Platform;

namespace UsernsTools.Facts;

/// <summary>Every kernel setting that decides whether user namespaces (and the other namespace kinds) can be created.</summary>
internal static class SettingCatalog
{
    /// <summary>
    /// The user.max_user_namespaces to raise a zero (or too low) limit to, where neither the kernel's own default nor a
    /// diagnosis gives one: 28633, the value Red Hat documents for rootless containers (/etc/sysctl.d/userns.conf on
    /// RHEL 7), high enough for containers and desktop sandboxes and far below the kernel's own default on most machines.
    /// One value for the diagnosis's advice and Enable's plan, so the two never disagree.
    /// </summary>
    public const long RecommendedMaxUserNamespaces = 28633;

    /// <summary>The kernel's int range for the user.max_*_namespaces limits.</summary>
    private const long IntMax = int.MaxValue;

    private static readonly string[] s_otherKinds = { "mnt", "pid", "net", "ipc", "uts", "cgroup", "time" };

    public static IReadOnlyList<SettingDefinition> All { get; } = Build();

    public static IReadOnlyList<string> Names { get; } = All.Select(d => d.Name).ToArray();

    public static SettingDefinition? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.Ordinal));
    }

    /// <summary>All settings UsernsTools may write (the sysctls; not the RHEL 7 boot switch).</summary>
    public static IReadOnlyList<SettingDefinition> Writable { get; } = All.Where(d => d.Writable).ToArray();

    /// <summary>
    /// The definition of a setting UsernsTools may change (a sysctl name, also accepted with slashes); throws for
    /// anything else, so a typo can never write an unrelated sysctl.
    /// </summary>
    public static SettingDefinition GetWritable(string? name)
    {
        var key = (name ?? "").Trim().Replace('/', '.');
        if (string.Equals(key, SettingNames.UserNamespaceEnable, StringComparison.Ordinal))
        {
            throw new UsernsException(
                SettingErrorIds.BootOptionRequired,
                UsernsErrorCategory.InvalidOperation,
                "user_namespace.enable is a RHEL 7 boot option, not a sysctl: add user_namespace.enable=1 to the kernel command line "
                + "(grubby --update-kernel=ALL --args=user_namespace.enable=1) and reboot. Enable-UnprivilegedUserns (`usernstools enable` in a shell) describes the step.",
                name);
        }

        return Writable.FirstOrDefault(d => string.Equals(d.Name, key, StringComparison.Ordinal))
            ?? throw new UsernsException(
                "UnknownSetting",
                UsernsErrorCategory.InvalidArgument,
                $"'{name}' is not a setting UsernsTools manages. Known settings: {string.Join(", ", Writable.Select(d => d.Name))}.",
                name);
    }

    /// <summary>/proc/sys path of a sysctl name.</summary>
    public static string ProcSysPath(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return "/proc/sys/" + name.Replace('.', '/');
    }

    private static SettingDefinition[] Build()
    {
        var list = new List<SettingDefinition>
        {
            Sysctl(
                SettingNames.MaxUserNamespaces,
                IntMax,
                "This kernel has no user.max_user_namespaces (older than 4.9 or built without user namespaces).",
                v => Limit(v, "user", "No process, root included, may create a user namespace below this one: unshare and bwrap fail with ENOSPC.")),
        };

        foreach (var kind in s_otherKinds)
        {
            list.Add(Sysctl(
                $"user.max_{kind}_namespaces",
                IntMax,
                $"This kernel has no user.max_{kind}_namespaces limit ({(kind == "time" ? "time namespaces arrived in 5.6" : "older than 4.9")}).",
                v => Limit(v, kind, $"No {kind} namespace may be created below this user namespace: sandboxes that unshare {kind} (bwrap --unshare-all does) fail with ENOSPC.")));
        }

        list.Add(Sysctl(
            SettingNames.UnprivilegedUsernsClone,
            1,
            "This kernel has no unprivileged_userns_clone switch (it is a Debian, Ubuntu and Arch patch); nothing is restricted by it.",
            v => Flag(
                v,
                on: "Unprivileged users may create user namespaces.",
                off: "Only processes with CAP_SYS_ADMIN may create user namespaces; unprivileged users get EPERM.")));
        list.Add(Sysctl(
            SettingNames.UsernsRestrict,
            1,
            "This kernel has no userns_restrict switch (it exists on ALT Linux kernels only); nothing is restricted by it.",
            v => Flag(
                v,
                on: "Creating user namespaces is restricted to privileged processes; unprivileged users get EPERM.",
                off: "userns_restrict does not restrict creating user namespaces.")));
        list.Add(Sysctl(
            SettingNames.AppArmorRestrictUnprivilegedUserns,
            1,
            "This kernel has no AppArmor user namespace restriction (an Ubuntu 23.10+ patch).",
            v => Flag(
                v,
                on: "An unconfined process that creates a user namespace is moved into the unprivileged_userns AppArmor profile and has no capabilities inside it (writing uid_map, mounting and setting up loopback fail), unless the program's own profile has a userns, rule.",
                off: "AppArmor does not restrict unprivileged user namespaces.")));
        list.Add(Sysctl(
            SettingNames.AppArmorRestrictUnprivilegedUsernsComplain,
            1,
            "This kernel has no complain mode for the AppArmor user namespace restriction.",
            v => Flag(
                v,
                on: "The AppArmor user namespace restriction only logs what it would deny (complain mode).",
                off: "The AppArmor user namespace restriction, when on, enforces its denials.")));
        list.Add(Sysctl(
            SettingNames.AppArmorRestrictUnprivilegedUsernsForce,
            1,
            "This kernel has no force switch for the AppArmor user namespace restriction.",
            v => Flag(
                v,
                on: "The AppArmor user namespace restriction applies even where unconfined user namespaces would otherwise be allowed.",
                off: "The AppArmor user namespace restriction is not forced beyond its normal scope.")));
        list.Add(Sysctl(
            SettingNames.AppArmorRestrictUnprivilegedUnconfined,
            1,
            "This kernel has no apparmor_restrict_unprivileged_unconfined switch (added around 6.7).",
            v => Flag(
                v,
                on: "Unconfined processes may not change to another AppArmor profile (for example with aa-exec) to escape the user namespace restriction.",
                off: "Unconfined processes may change AppArmor profile freely.")));
        list.Add(new SettingDefinition(
            SettingNames.UserNamespaceEnable,
            "/sys/module/user_namespace/parameters/enable",
            IsSysctl: false,
            "This kernel has no user_namespace.enable boot switch (only RHEL/CentOS 7.0-7.3 kernels have it).",
            v => v.Trim() switch
            {
                "Y" or "y" or "1" => "User namespaces are enabled by the boot option user_namespace.enable=1.",
                "N" or "n" or "0" => "User namespaces are disabled at boot: no process can create one (EINVAL) until the kernel boots with user_namespace.enable=1.",
                var other => $"Unexpected value '{other}' for the RHEL 7 boot switch (Y or N expected).",
            }));
        return list.ToArray();
    }

    private static SettingDefinition Sysctl(string name, long maximum, string absent, Func<string, string> describe) =>
        new(name, ProcSysPath(name), IsSysctl: true, absent, describe) { Maximum = maximum };

    private static string Limit(string value, string kind, string zero)
    {
        if (!long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit) || limit < 0)
        {
            return $"Unexpected value '{value}' for a namespace limit (a count expected).";
        }

        return limit == 0
            ? zero
            : $"Up to {limit.ToString(CultureInfo.InvariantCulture)} {kind} namespaces may exist below this user namespace (each user namespace has its own copy of the limit).";
    }

    private static string Flag(string value, string on, string off) => value.Trim() switch
    {
        "0" => off,
        "1" => on,
        var other when long.TryParse(other, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 1 => on,
        var other => $"Unexpected value '{other}' (0 or 1 expected).",
    };
}
