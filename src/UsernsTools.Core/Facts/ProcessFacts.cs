using System.Text.Json.Serialization;

namespace UsernsTools.Facts;

/// <summary>Where the diagnosing process stands: seccomp, no_new_privs, capabilities and its user namespace.</summary>
public sealed class ProcessFacts
{
    /// <summary>/proc/self/status Seccomp: 0 off, 1 strict, 2 filter.</summary>
    [JsonInclude] public int? Seccomp { get; internal init; }

    [JsonInclude] public int? SeccompFilters { get; internal init; }

    [JsonInclude] public bool? NoNewPrivs { get; internal init; }

    /// <summary>CapEff as the hex string of /proc/self/status.</summary>
    [JsonInclude] public string? CapEff { get; internal init; }

    /// <summary>CAP_SYS_ADMIN is in CapEff.</summary>
    [JsonInclude] public bool? HasCapSysAdmin { get; internal init; }

    /// <summary>/proc/self/uid_map as read; null when the file is missing (kernel without user namespaces).</summary>
    [JsonInclude] public string? UidMap { get; internal init; }

    [JsonInclude] public string? GidMap { get; internal init; }

    /// <summary>/proc/self/setgroups: allow or deny.</summary>
    [JsonInclude] public string? Setgroups { get; internal init; }

    /// <summary>Inode of /proc/self/ns/user (4026531837 is the initial user namespace).</summary>
    [JsonInclude] public long? UserNamespaceInode { get; internal init; }

    /// <summary>True when the uid_map is the identity map of the initial namespace.</summary>
    [JsonInclude] public bool? InInitialUserNamespace { get; internal init; }

    /// <summary>0 in the initial namespace; the kernel does not reveal ancestors, so deeper levels are null unless recorded.</summary>
    [JsonInclude] public int? UserNamespaceDepth { get; internal init; }

    // Format-List, string interpolation and a deserialized copy (which keeps only this text once nesting is deeper than
    // the serialization depth) show this instead of the type name.
    public override string ToString() => FormattableString.Invariant(
        $"Seccomp {Seccomp?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}, NoNewPrivs {(NoNewPrivs is { } n ? n ? "1" : "0" : "?")}, user namespace depth {UserNamespaceDepth?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}");
}
