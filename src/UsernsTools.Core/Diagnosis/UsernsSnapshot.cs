using System.Text.Json.Serialization;
using UsernsTools.Facts;
using UsernsTools.Facts.Denials;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Diagnosis;

/// <summary>Facts and probe results of one machine: what a report file holds and what diagnosis reads.</summary>
public sealed class UsernsSnapshot
{
    /// <summary>Format version of the report file.</summary>
    [JsonInclude] public int SchemaVersion { get; internal init; } = 1;

    [JsonInclude] public MachineFacts Facts { get; internal init; } = new();

    [JsonInclude] public IReadOnlyList<UsernsProbeResult> Probes { get; internal init; } = Array.Empty<UsernsProbeResult>();

    /// <summary>The bubblewrap probes (strict, try, network, proc); empty when bwrap is not installed or nothing was probed.</summary>
    [JsonInclude] public IReadOnlyList<BwrapProbeResult> BwrapProbes { get; internal init; } = Array.Empty<BwrapProbeResult>();

    /// <summary>Recent AppArmor, SELinux and seccomp log lines about user namespaces (the last day, at most 50, newest last).</summary>
    [JsonInclude] public IReadOnlyList<UsernsDenial> Denials { get; internal init; } = Array.Empty<UsernsDenial>();

    /// <summary>What could not be read while taking the snapshot (e.g. the kernel log, closed to non-root users).</summary>
    [JsonInclude] public IReadOnlyList<string> Notes { get; internal init; } = Array.Empty<string>();
}
