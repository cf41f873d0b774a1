using System.Text.Json.Serialization;

namespace UsernsTools.Sandbox;

/// <summary>One line of /proc/PID/uid_map or gid_map: ids Inside..Inside+Count-1 are Outside.. in the parent namespace.</summary>
public sealed class IdMapEntry
{
    [JsonInclude] public long Inside { get; internal init; }

    [JsonInclude] public long Outside { get; internal init; }

    [JsonInclude] public long Count { get; internal init; }

    public override string ToString() => FormattableString.Invariant($"{Inside} {Outside} {Count}");
}
