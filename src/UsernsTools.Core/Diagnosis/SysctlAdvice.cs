using System.Globalization;
using UsernsTools.Facts;

namespace UsernsTools.Diagnosis;

/// <summary>The shared wording for changing a sysctl now and at boot, and the cmdlet line that does it.</summary>
internal static class SysctlAdvice
{
    /// <summary>The value Red Hat documents for rootless containers (/etc/sysctl.d/userns.conf).</summary>
    public const long RecommendedMaxUserNamespaces = 28633;

    /// <summary>Below this, a desktop with a browser and a few Flatpak applications can run out.</summary>
    public const long LowMaxUserNamespaces = 1000;

    public static string FixCommand(string name, string value) =>
        $"Set-UsernsSetting -Name {name} -Value {value} -Scope Runtime,Persistent";

    /// <summary>
    /// The cmdlet line that changes only the running value: for a user namespace's own copy of a user.* limit, which no
    /// file under /etc/sysctl.d sets.
    /// </summary>
    public static string RuntimeFixCommand(string name, string value) =>
        $"Set-UsernsSetting -Name {name} -Value {value} -Scope Runtime";

    public static string FixCommand(string name, long value) => FixCommand(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>How to set the key now and at boot by hand, and which existing file would undo the change.</summary>
    public static string SetNowAndAtBoot(UsernsSetting setting, string value)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var text = $"`{FixCommand(setting.Name, value)}` writes a drop-in under /etc/sysctl.d and applies it at once; "
            + $"by hand: `sysctl -w {setting.Name}={value}` now, and `{setting.Name} = {value}` in a file under /etc/sysctl.d for the next boot.";
        if (setting.PersistedValue is not null && setting.PersistedSource is not null
            && !string.Equals(setting.PersistedValue.Trim(), value, StringComparison.Ordinal))
        {
            // A drop-in that sorts before the winning file loses to it, so the fix would vanish at reboot.
            text += $" {setting.PersistedSource} sets {setting.PersistedValue.Trim()} at boot: change that line, or the change is undone at the next boot.";
        }

        return text;
    }
}
