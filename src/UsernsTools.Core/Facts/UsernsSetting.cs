using System.Text.Json.Serialization;

namespace UsernsTools.Facts;

/// <summary>
/// One kernel setting that governs user namespaces: its value now (runtime) and the value boot will apply
/// (persisted), with the file and line that wins and the assignments it shadows.
/// </summary>
public sealed class UsernsSetting
{
    /// <summary>sysctl name, e.g. <c>user.max_user_namespaces</c>; the RHEL 7 switch is <c>user_namespace.enable</c>.</summary>
    [JsonInclude] public string Name { get; internal init; } = "";

    /// <summary>The file that holds the runtime value, e.g. /proc/sys/user/max_user_namespaces.</summary>
    [JsonInclude] public string Path { get; internal init; } = "";

    /// <summary>Whether this kernel has the setting at all.</summary>
    [JsonInclude] public bool Present { get; internal init; }

    [JsonInclude] public string? RuntimeValue { get; internal init; }

    /// <summary>The value boot will apply from sysctl configuration, or null when no file sets it.</summary>
    [JsonInclude] public string? PersistedValue { get; internal init; }

    /// <summary><c>file:line</c> of the assignment that wins at boot.</summary>
    [JsonInclude] public string? PersistedSource { get; internal init; }

    /// <summary>Assignments of the same key that lose to <see cref="PersistedSource"/>.</summary>
    [JsonInclude] public IReadOnlyList<SysctlAssignment> Shadowed { get; internal init; } = Array.Empty<SysctlAssignment>();

    /// <summary>What the runtime value means for user namespaces, in words.</summary>
    [JsonInclude] public string Effect { get; internal init; } = "";

    // Format-List, string interpolation and a deserialized copy (which keeps only this text once nesting is deeper than
    // the serialization depth) show this instead of the type name.
    public override string ToString() => $"{Name} = {RuntimeValue ?? (Present ? "" : "(absent)")}";
}
