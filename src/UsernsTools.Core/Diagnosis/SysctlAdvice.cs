using System.Globalization;
using UsernsTools.Configuration;
using UsernsTools.Facts;

namespace UsernsTools.Diagnosis;

/// <summary>The shared wording for changing a sysctl now and at boot, and the fix that does it.</summary>
internal static class SysctlAdvice
{
    /// <summary>Below this, a desktop with a browser and a few Flatpak applications can run out.</summary>
    public const long LowMaxUserNamespaces = 1000;

    /// <summary>Set a sysctl now and at boot.</summary>
    public static FindingFix Fix(string name, string value) => FindingFix.Set(name, value);

    /// <summary>
    /// Change only the running value: for a user namespace's own copy of a user.* limit, which no file under
    /// /etc/sysctl.d sets.
    /// </summary>
    public static FindingFix RuntimeFix(string name, string value) => FindingFix.Set(name, value, ChangeScope.Runtime);

    /// <summary>How to set the key now and at boot by hand, and which existing file would undo the change.</summary>
    public static string SetNowAndAtBoot(UsernsSetting setting, string value, FrontEndWords words)
    {
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentNullException.ThrowIfNull(words);
        var text = $"`{Fix(setting.Name, value).Render(words)}` writes a drop-in under /etc/sysctl.d and applies it at once; "
            + $"by hand: `sysctl -w {setting.Name}={value}` now, and `{setting.Name} = {value}` in a file under /etc/sysctl.d for the next boot.";
        if (setting.PersistedValue is not null && setting.PersistedSource is not null
            && !string.Equals(setting.PersistedValue.Trim(), value, StringComparison.Ordinal))
        {
            // Whether the drop-in wins depends on where the other file sorts: say which one really applies at boot.
            text += SysctlBootOrder.AtBoot(setting.Name, setting.PersistedValue.Trim(), setting.PersistedSource);
        }

        return text;
    }
}
