using System.Text.Json.Serialization;

namespace UsernsTools.Facts;

/// <summary>Everything read from the machine. Diagnosis rules read only this and the probe results.</summary>
public sealed class MachineFacts
{
    [JsonInclude] public DateTimeOffset CollectedAt { get; internal init; }

    [JsonInclude] public string Hostname { get; internal init; } = "";

    [JsonInclude] public UsernsSubject Subject { get; internal init; } = new();

    /// <summary>Effective uid of the diagnosing process.</summary>
    [JsonInclude] public long CallerUid { get; internal init; }

    [JsonInclude] public KernelFacts Kernel { get; internal init; } = new();

    [JsonInclude] public IReadOnlyList<UsernsSetting> Settings { get; internal init; } = Array.Empty<UsernsSetting>();

    [JsonInclude] public SecurityModuleFacts SecurityModules { get; internal init; } = new();

    [JsonInclude] public ProcessFacts Process { get; internal init; } = new();

    [JsonInclude] public EnvironmentFacts Environment { get; internal init; } = new();

    [JsonInclude] public IReadOnlyList<ToolFact> Tools { get; internal init; } = Array.Empty<ToolFact>();

    /// <summary>The subject's /etc/subuid ranges.</summary>
    [JsonInclude] public IReadOnlyList<SubordinateIdRange> SubordinateUids { get; internal init; } = Array.Empty<SubordinateIdRange>();

    /// <summary>The subject's /etc/subgid ranges.</summary>
    [JsonInclude] public IReadOnlyList<SubordinateIdRange> SubordinateGids { get; internal init; } = Array.Empty<SubordinateIdRange>();

    /// <summary>
    /// Every range of /etc/subuid and /etc/subgid, of all users, so a range suggested for the subject is one nobody has;
    /// null when not read (a report recorded by an older version).
    /// </summary>
    [JsonInclude] public IReadOnlyList<SubordinateIdRange>? SubordinateIdsInUse { get; internal init; }

    /// <summary>The setting with this sysctl name, or null.</summary>
    public UsernsSetting? Setting(string name) => Settings.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    /// <summary>The tool with this name, or null.</summary>
    public ToolFact? Tool(string name) => Tools.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    // Format-List, string interpolation and a deserialized copy (which keeps only this text once nesting is deeper than
    // the serialization depth) show this instead of the type name.
    public override string ToString() => $"{Hostname}: {Kernel}";
}
