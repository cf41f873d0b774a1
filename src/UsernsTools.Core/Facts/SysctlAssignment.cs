using System.Text.Json.Serialization;

namespace UsernsTools.Facts;

/// <summary>One <c>key = value</c> line in a sysctl configuration file.</summary>
public sealed class SysctlAssignment
{
    [JsonInclude] public string Key { get; internal init; } = "";

    [JsonInclude] public string Value { get; internal init; } = "";

    /// <summary>The file as seen on the diagnosed machine (without the -Root prefix).</summary>
    [JsonInclude] public string File { get; internal init; } = "";

    [JsonInclude] public int Line { get; internal init; }

    /// <summary><c>file:line</c>.</summary>
    [JsonIgnore] public string Source => $"{File}:{Line}";

    public override string ToString() => $"{Source}: {Key} = {Value}";
}
