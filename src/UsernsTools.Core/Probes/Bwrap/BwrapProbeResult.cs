using System.Text.Json.Serialization;

namespace UsernsTools.Probes.Bwrap;

/// <summary>The outcome of one bubblewrap invocation run as the subject, classified.</summary>
public sealed class BwrapProbeResult
{
    [JsonInclude] public BwrapMode Mode { get; internal init; }

    [JsonInclude] public bool Succeeded { get; internal init; }

    /// <summary>A new user namespace was created and the subject was mapped in it (to root in the strict modes).</summary>
    [JsonInclude] public bool UidMapped { get; internal set; }

    /// <summary>/proc/self/uid_map as seen inside the sandbox; null when bwrap failed.</summary>
    [JsonInclude] public string? UidMap { get; internal init; }

    [JsonInclude] public int? ExitCode { get; internal init; }

    /// <summary>bwrap's standard error, verbatim.</summary>
    [JsonInclude] public string StandardError { get; internal init; } = "";

    [JsonInclude] public BwrapErrorKind ErrorKind { get; internal init; }

    /// <summary>The errno the message stands for; None when it succeeded.</summary>
    [JsonInclude] public Errno Errno { get; internal init; }

    /// <summary>The stage that failed: Launch, Create, Map, Use or Timeout; None when it succeeded.</summary>
    [JsonInclude] public ProbeStage Stage { get; internal init; }

    /// <summary>The line of standard error that was recognised (without the <c>bwrap: </c> prefix).</summary>
    [JsonInclude] public string? Message { get; internal init; }

    /// <summary>What the message means in general.</summary>
    [JsonInclude] public string Explanation { get; internal set; } = "";

    /// <summary>
    /// The likely cause on this machine, from the failure and the machine's facts. Worked out by diagnosis, not by the
    /// probe: a report's probes are explained again by the version that reads it.
    /// </summary>
    [JsonInclude] public string? LikelyCause { get; internal set; }

    /// <summary>A per-program AppArmor profile with <c>userns,</c> would fix this failure (Ubuntu 23.10 and later).</summary>
    [JsonInclude] public bool AppArmorProfileFixApplies { get; internal set; }

    /// <summary>The bwrap that was run (or would have been).</summary>
    [JsonInclude] public BwrapInstallation? Installation { get; internal init; }

    /// <summary>The argv that was run.</summary>
    [JsonInclude] public IReadOnlyList<string> Command { get; internal init; } = Array.Empty<string>();

    /// <summary>The user the probe ran as.</summary>
    [JsonInclude] public string User { get; internal init; } = "";

    [JsonInclude] public double DurationMs { get; internal init; }

    // Format-List, string interpolation and a deserialized copy (which keeps only this text once nesting is deeper than
    // the serialization depth) show this instead of the type name.
    public override string ToString() => Succeeded ? $"{Mode}: succeeded" : $"{Mode}: {ErrorKind} at {Stage}";

    /// <summary>This result (a copy) read another way: whether the subject was mapped, and what the run showed.</summary>
    internal BwrapProbeResult Reinterpreted(bool uidMapped, string explanation)
    {
        var copy = (BwrapProbeResult)MemberwiseClone();
        copy.UidMapped = uidMapped;
        copy.Explanation = explanation;
        return copy;
    }

    /// <summary>This result as recorded, with the likely cause diagnosis worked out for it (replacing any it carried).</summary>
    internal BwrapProbeResult WithCause(string? likelyCause, bool profileFixApplies)
    {
        var explained = (BwrapProbeResult)MemberwiseClone();
        explained.LikelyCause = likelyCause;
        explained.AppArmorProfileFixApplies = profileFixApplies;
        return explained;
    }
}
