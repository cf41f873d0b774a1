using System.Text.Json.Serialization;
using UsernsTools.Facts;
using UsernsTools.Probes;

namespace UsernsTools.Diagnosis;

/// <summary>The diagnosis of one machine for one user: verdict first, then findings, then what they rest on.</summary>
public sealed class UsernsStatus
{
    [JsonInclude] public int SchemaVersion { get; internal init; } = 1;

    [JsonInclude] public Verdict Verdict { get; internal init; }

    [JsonInclude] public UsernsSubject Subject { get; internal init; } = new();

    [JsonInclude] public string Hostname { get; internal init; } = "";

    /// <summary>True when this status was diagnosed from a report file rather than this machine.</summary>
    [JsonInclude] public bool FromReport { get; internal init; }

    [JsonInclude] public IReadOnlyList<UsernsFinding> Findings { get; internal init; } = Array.Empty<UsernsFinding>();

    [JsonInclude] public IReadOnlyList<UsernsProbeResult> Probes { get; internal init; } = Array.Empty<UsernsProbeResult>();

    [JsonInclude] public MachineFacts Facts { get; internal init; } = new();
}
