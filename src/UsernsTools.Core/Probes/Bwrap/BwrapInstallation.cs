using System.Text.Json.Serialization;

namespace UsernsTools.Probes.Bwrap;

/// <summary>One bwrap executable the user can reach, from PATH or named with -BwrapPath.</summary>
public sealed class BwrapInstallation
{
    /// <summary>The path as found (on PATH or as given).</summary>
    [JsonInclude] public string Path { get; internal init; } = "";

    /// <summary>The file the path resolves to when it is a symbolic link; otherwise the same as <see cref="Path"/>.</summary>
    [JsonInclude] public string ResolvedPath { get; internal init; } = "";

    /// <summary><c>PATH</c> or <c>BwrapPath</c>: how it was found.</summary>
    [JsonInclude] public string Source { get; internal init; } = "";

    /// <summary>True for the bwrap a plain <c>bwrap</c> command runs (the first on PATH), or the one given explicitly.</summary>
    [JsonInclude] public bool IsSelected { get; internal init; }

    /// <summary>Version as printed by <c>bwrap --version</c>, e.g. 0.8.0; null when it could not (or may not) be run.</summary>
    [JsonInclude] public string? Version { get; internal init; }

    [JsonInclude] public bool IsSetuid { get; internal init; }

    [JsonInclude] public long? OwnerUid { get; internal init; }

    /// <summary>File capabilities from the security.capability attribute in getcap's notation, e.g. <c>cap_sys_admin=ep</c>.</summary>
    [JsonInclude] public string? FileCapabilities { get; internal init; }

    /// <summary>
    /// Whether this build still accepts setuid use: true before 0.11.2, false from 0.11.2 (off by default, removed in 0.12),
    /// null when the version is unknown.
    /// </summary>
    [JsonInclude] public bool? SupportsSetuid { get; internal init; }

    /// <summary>Warnings and notes about this installation.</summary>
    [JsonInclude] public IReadOnlyList<BwrapFact> Facts { get; internal init; } = Array.Empty<BwrapFact>();

    /// <summary>True when UsernsTools will not run this bwrap (setuid, or setuid-style file capabilities).</summary>
    [JsonIgnore] public bool IsPrivileged => Privileged(IsSetuid, OwnerUid, FileCapabilities);

    /// <summary>Whether a file of this mode, owner and capabilities is privileged: an unknown owner counts as root.</summary>
    internal static bool Privileged(bool isSetuid, long? ownerUid, string? fileCapabilities)
        => isSetuid && ownerUid is 0 or null || fileCapabilities is not null;

    // Format-List, string interpolation and a deserialized copy (which keeps only this text once nesting is deeper than
    // the serialization depth) show this instead of the type name.
    public override string ToString()
    {
        var text = Version is null ? Path : $"{Path} {Version}";
        return IsSetuid ? text + " (setuid)" : FileCapabilities is null ? text : $"{text} ({FileCapabilities})";
    }
}
