using System.Text.Json.Serialization;
using UsernsTools.Facts;
using UsernsTools.Probes;

namespace UsernsTools.Diagnosis;

/// <summary>Facts and probe results of one machine: what a report file holds and what diagnosis reads.</summary>
public sealed class UsernsSnapshot
{
    /// <summary>Format version of the report file.</summary>
    [JsonInclude] public int SchemaVersion { get; internal init; } = 1;

    [JsonInclude] public MachineFacts Facts { get; internal init; } = new();

    [JsonInclude] public IReadOnlyList<UsernsProbeResult> Probes { get; internal init; } = Array.Empty<UsernsProbeResult>();
}
