using System.Text.Json.Serialization;
using UsernsTools.Facts;
using UsernsTools.Facts.Denials;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Diagnosis;

/// <summary>The diagnosis of one machine for one user: verdict first, then findings, then what they rest on.</summary>
public sealed class UsernsStatus
{
    [JsonInclude] public int SchemaVersion { get; internal init; } = 1;

    [JsonInclude] public Verdict Verdict { get; internal init; }

    /// <summary>
    /// True when a probe tested whether a user namespace can be created; false when the verdict rests on the settings
    /// alone (-NoProbe, a report recorded without probes, or probes that could not run), so Available means only that
    /// nothing read forbids it.
    /// </summary>
    [JsonInclude] public bool Probed { get; internal init; }

    [JsonInclude] public UsernsSubject Subject { get; internal init; } = new();

    [JsonInclude] public string Hostname { get; internal init; } = "";

    /// <summary>True when this status was diagnosed from a report file rather than this machine.</summary>
    [JsonInclude] public bool FromReport { get; internal init; }

    [JsonInclude] public IReadOnlyList<UsernsFinding> Findings { get; internal init; } = Array.Empty<UsernsFinding>();

    [JsonInclude] public IReadOnlyList<UsernsProbeResult> Probes { get; internal init; } = Array.Empty<UsernsProbeResult>();

    /// <summary>The bubblewrap probes the findings about bwrap rest on.</summary>
    [JsonInclude] public IReadOnlyList<BwrapProbeResult> BwrapProbes { get; internal init; } = Array.Empty<BwrapProbeResult>();

    /// <summary>Recent log lines about user namespaces; the matching ones are quoted in the findings' evidence.</summary>
    [JsonInclude] public IReadOnlyList<UsernsDenial> Denials { get; internal init; } = Array.Empty<UsernsDenial>();

    /// <summary>What could not be read while diagnosing (e.g. the kernel log, closed to non-root users).</summary>
    [JsonInclude] public IReadOnlyList<string> Notes { get; internal init; } = Array.Empty<string>();

    [JsonInclude] public MachineFacts Facts { get; internal init; } = new();
}
