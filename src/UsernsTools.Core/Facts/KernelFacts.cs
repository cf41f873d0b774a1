using System.Text.Json.Serialization;

namespace UsernsTools.Facts;

/// <summary>Kernel release and the distribution from /etc/os-release.</summary>
public sealed class KernelFacts
{
    /// <summary>/proc/sys/kernel/osrelease, e.g. 6.8.0-31-generic.</summary>
    [JsonInclude] public string? Release { get; internal init; }

    /// <summary>/proc/sys/kernel/version.</summary>
    [JsonInclude] public string? Version { get; internal init; }

    /// <summary>os-release ID, e.g. ubuntu, debian, rhel, fedora, arch.</summary>
    [JsonInclude] public string? OsId { get; internal init; }

    [JsonInclude] public string? OsVersionId { get; internal init; }

    [JsonInclude] public string? OsIdLike { get; internal init; }

    [JsonInclude] public string? OsPrettyName { get; internal init; }

    // Format-List, string interpolation and a deserialized copy (which keeps only this text once nesting is deeper than
    // the serialization depth) show this instead of the type name.
    public override string ToString() => (OsPrettyName, Release) switch
    {
        (null, null) => "unknown kernel",
        (null, _) => $"kernel {Release}",
        (_, null) => OsPrettyName,
        _ => $"{OsPrettyName}, kernel {Release}",
    };
}
