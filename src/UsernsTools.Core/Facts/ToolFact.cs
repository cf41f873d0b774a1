using System.Text.Json.Serialization;

namespace UsernsTools.Facts;

/// <summary>A namespace tool (unshare, setpriv, bwrap, newuidmap, newgidmap) as found on PATH.</summary>
public sealed class ToolFact
{
    [JsonInclude] public string Name { get; internal init; } = "";

    [JsonInclude] public bool Found { get; internal init; }

    [JsonInclude] public string? Path { get; internal init; }

    /// <summary>Version as printed by the tool (e.g. 2.38.1, 0.8.0); null when it has no version option.</summary>
    [JsonInclude] public string? Version { get; internal init; }

    [JsonInclude] public bool IsSetuid { get; internal init; }

    [JsonInclude] public long? OwnerUid { get; internal init; }

    /// <summary>File capabilities from the security.capability attribute, e.g. <c>cap_setuid=ep</c>.</summary>
    [JsonInclude] public string? FileCapabilities { get; internal init; }

    /// <summary>
    /// The dpkg-statoverride line for this path (<c>root root 4755 /usr/bin/bwrap</c>), when an administrator set one:
    /// dpkg then gives the file that mode on every install and upgrade.
    /// </summary>
    [JsonInclude] public string? StatOverride { get; internal init; }

    // Format-List, string interpolation and a deserialized copy (which keeps only this text once nesting is deeper than
    // the serialization depth) show this instead of the type name.
    public override string ToString() => !Found ? $"{Name}: not found" : Version is null ? $"{Name} ({Path})" : $"{Name} {Version} ({Path})";
}
