using System.Text.Json.Serialization;
using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Probes;

namespace UsernsTools.Serialization;

/// <summary>Source-generated JSON for reports and the CLI: camelCase names, enums as strings, no reflection at start-up.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(UsernsStatus))]
[JsonSerializable(typeof(UsernsSnapshot))]
[JsonSerializable(typeof(IReadOnlyList<UsernsSetting>))]
[JsonSerializable(typeof(IReadOnlyList<UsernsProbeResult>))]
[JsonSerializable(typeof(IReadOnlyList<SubordinateIdRange>))]
internal sealed partial class UsernsJsonContext : JsonSerializerContext
{
}
