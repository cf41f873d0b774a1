using System.Text.Json.Serialization;

namespace UsernsTools.Facts;

/// <summary>AppArmor and SELinux state as far as it concerns user namespaces.</summary>
public sealed class SecurityModuleFacts
{
    /// <summary>/sys/module/apparmor/parameters/enabled is Y; null when the file is absent.</summary>
    [JsonInclude] public bool? AppArmorEnabled { get; internal init; }

    /// <summary>The kernel's AppArmor mediates user namespace creation (features/namespaces/userns_create).</summary>
    [JsonInclude] public bool AppArmorMediatesUserns { get; internal init; }

    /// <summary>features/policy/unconfined_restrictions/userns exists.</summary>
    [JsonInclude] public bool AppArmorUnconfinedRestrictsUserns { get; internal init; }

    /// <summary>Profiles under /etc/apparmor.d that have a <c>userns,</c> rule or attach to a sandbox tool.</summary>
    [JsonInclude] public IReadOnlyList<AppArmorProfileFact> AppArmorProfiles { get; internal init; } = Array.Empty<AppArmorProfileFact>();

    /// <summary>/sys/fs/selinux exists.</summary>
    [JsonInclude] public bool SelinuxPresent { get; internal init; }

    /// <summary>/sys/fs/selinux/enforce is 1; null when SELinux is absent.</summary>
    [JsonInclude] public bool? SelinuxEnforcing { get; internal init; }

    /// <summary>The loaded policy knows the user_namespace class (/sys/fs/selinux/class/user_namespace).</summary>
    [JsonInclude] public bool SelinuxMediatesUserns { get; internal init; }

    // Format-List, string interpolation and a deserialized copy (which keeps only this text once nesting is deeper than
    // the serialization depth) show this instead of the type name.
    public override string ToString()
    {
        var apparmor = AppArmorEnabled switch
        {
            true => AppArmorMediatesUserns ? "AppArmor (mediates userns)" : "AppArmor",
            false => "AppArmor off",
            null => "AppArmor unknown",
        };
        var selinux = !SelinuxPresent ? "no SELinux" : SelinuxEnforcing == true ? "SELinux enforcing" : "SELinux permissive";
        return $"{apparmor}, {selinux}";
    }
}
