using UsernsTools.Platform;

namespace UsernsTools.Facts;

/// <summary>AppArmor and SELinux state as far as it decides user namespace creation.</summary>
internal static class SecurityModuleReader
{
    private const string AppArmorFeatures = "/sys/kernel/security/apparmor/features";
    private const string Selinuxfs = "/sys/fs/selinux";

    public static SecurityModuleFacts Read(string root)
    {
        var enabled = RootedPath.ReadValue(root, "/sys/module/apparmor/parameters/enabled");
        var enforce = RootedPath.ReadValue(root, Selinuxfs + "/enforce");

        // The mount point can exist without selinuxfs mounted on it; enforce exists only when it is.
        var selinuxPresent = enforce is not null || File.Exists(RootedPath.Combine(root, Selinuxfs + "/enforce"));
        return new SecurityModuleFacts
        {
            AppArmorEnabled = enabled is null ? null : enabled.StartsWith('Y'),
            AppArmorMediatesUserns = Path.Exists(RootedPath.Combine(root, AppArmorFeatures + "/namespaces/userns_create")),
            AppArmorUnconfinedRestrictsUserns = Path.Exists(RootedPath.Combine(root, AppArmorFeatures + "/policy/unconfined_restrictions/userns")),
            AppArmorProfiles = AppArmorProfileReader.Read(root),
            SelinuxPresent = selinuxPresent,
            SelinuxEnforcing = selinuxPresent ? enforce == "1" : null,
            SelinuxMediatesUserns = Directory.Exists(RootedPath.Combine(root, Selinuxfs + "/class/user_namespace")),
        };
    }
}
