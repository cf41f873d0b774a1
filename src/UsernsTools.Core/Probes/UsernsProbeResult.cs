using System.Text.Json.Serialization;

namespace UsernsTools.Probes;

/// <summary>The outcome of one attempt to create (and map, and use) namespaces as the subject.</summary>
public sealed class UsernsProbeResult
{
    /// <summary>Probe name: CreateUserNamespace, MapRootUser, or the kind created inside (Mount, Pid, Net, Uts, Ipc, Cgroup, Time).</summary>
    [JsonInclude] public string Name { get; internal init; } = "";

    [JsonInclude] public bool Succeeded { get; internal init; }

    /// <summary>The stage that failed; None when it succeeded.</summary>
    [JsonInclude] public ProbeStage Stage { get; internal init; }

    [JsonInclude] public Errno Errno { get; internal init; }

    /// <summary>The tool's own message (first line of stderr), verbatim.</summary>
    [JsonInclude] public string? Message { get; internal init; }

    [JsonInclude] public int? ExitCode { get; internal init; }

    [JsonInclude] public double DurationMs { get; internal init; }

    /// <summary>The argv that was run.</summary>
    [JsonInclude] public IReadOnlyList<string> Command { get; internal init; } = Array.Empty<string>();

    /// <summary>The user the probe ran as.</summary>
    [JsonInclude] public string User { get; internal init; } = "";

    // Format-List, string interpolation and a deserialized copy (which keeps only this text once nesting is deeper than
    // the serialization depth) show this instead of the type name.
    public override string ToString() => Succeeded ? $"{Name}: succeeded" : $"{Name}: failed at {Stage} ({Errno})";
}
