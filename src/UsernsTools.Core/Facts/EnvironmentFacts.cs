using System.Text.Json.Serialization;

namespace UsernsTools.Facts;

/// <summary>Containers, WSL, gVisor and chroot markers.</summary>
public sealed class EnvironmentFacts
{
    [JsonInclude] public ContainerKind Container { get; internal init; }

    /// <summary>The markers that were found, e.g. <c>/.dockerenv</c>, <c>container=podman in /proc/1/environ</c>.</summary>
    [JsonInclude] public IReadOnlyList<string> ContainerEvidence { get; internal init; } = Array.Empty<string>();

    [JsonInclude] public WslKind Wsl { get; internal init; }

    [JsonInclude] public bool Gvisor { get; internal init; }

    /// <summary>The root directory differs from init's root; null when that cannot be read.</summary>
    [JsonInclude] public bool? InChroot { get; internal init; }

    /// <summary>
    /// Mounts on paths below /proc, from /proc/self/mountinfo (containers mask parts of /proc this way); empty when there
    /// are none, null when mountinfo could not be read (and in reports recorded before it was).
    /// </summary>
    [JsonInclude] public IReadOnlyList<ProcOvermount>? ProcOvermounts { get; internal init; }

    // Format-List, string interpolation and a deserialized copy (which keeps only this text once nesting is deeper than
    // the serialization depth) show this instead of the type name.
    public override string ToString() => $"Container {Container}, WSL {Wsl}{(Gvisor ? ", gVisor" : "")}";
}
