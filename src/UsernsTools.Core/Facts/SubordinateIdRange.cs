using System.Text.Json.Serialization;

namespace UsernsTools.Facts;

/// <summary>One line of /etc/subuid or /etc/subgid and what is wrong with it.</summary>
public sealed class SubordinateIdRange
{
    /// <summary>The user field as written (a name or a uid).</summary>
    [JsonInclude] public string User { get; internal init; } = "";

    [JsonInclude] public SubordinateIdKind Kind { get; internal init; }

    [JsonInclude] public long Start { get; internal init; }

    [JsonInclude] public long Count { get; internal init; }

    /// <summary>Last id of the range (Start + Count - 1).</summary>
    [JsonIgnore] public long End => Start + Count - 1;

    [JsonInclude] public string File { get; internal init; } = "";

    [JsonInclude] public int Line { get; internal init; }

    /// <summary>The range includes the user's own uid (or gid), which newuidmap refuses.</summary>
    [JsonInclude] public bool ContainsOwnId { get; internal init; }

    /// <summary>Users whose ranges overlap this one.</summary>
    [JsonInclude] public IReadOnlyList<string> OverlapsWith { get; internal init; } = Array.Empty<string>();

    /// <summary>At least 65536 ids, what rootless containers need.</summary>
    [JsonIgnore] public bool IsLargeEnough => Count >= 65536;

    // Format-List, string interpolation and a deserialized copy (which keeps only this text once nesting is deeper than
    // the serialization depth) show this instead of the type name.
    public override string ToString() => FormattableString.Invariant($"{User}:{Start}:{Count}");
}
