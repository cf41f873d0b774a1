using System.Text.Json.Serialization;

namespace UsernsTools.Facts;

/// <summary>An AppArmor profile file under /etc/apparmor.d and whether it grants <c>userns,</c>.</summary>
public sealed class AppArmorProfileFact
{
    [JsonInclude] public string Name { get; internal init; } = "";

    [JsonInclude] public string File { get; internal init; } = "";

    /// <summary>The executable path the profile attaches to, when it names one.</summary>
    [JsonInclude] public string? Attachment { get; internal init; }

    /// <summary>Whether the profile has a <c>userns,</c> rule.</summary>
    [JsonInclude] public bool GrantsUserns { get; internal init; }

    // Format-List, string interpolation and a deserialized copy (which keeps only this text once nesting is deeper than
    // the serialization depth) show this instead of the type name.
    public override string ToString() => GrantsUserns ? $"{Name} ({File}, userns)" : $"{Name} ({File})";
}
