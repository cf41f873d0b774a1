using System.Text.Json.Serialization;
using UsernsTools.Diagnosis;

namespace UsernsTools.Probes.Bwrap;

/// <summary>A remark about one bwrap installation, e.g. that it is setuid (a Warning: UsernsTools never runs it).</summary>
public sealed class BwrapFact
{
    /// <summary>Stable identifier, e.g. <c>BwrapSetuid</c>, <c>BwrapFileCapabilities</c>.</summary>
    [JsonInclude] public string Id { get; internal init; } = "";

    [JsonInclude] public Severity Severity { get; internal init; }

    [JsonInclude] public string Message { get; internal init; } = "";

    public override string ToString() => $"{Severity}: {Message}";
}
