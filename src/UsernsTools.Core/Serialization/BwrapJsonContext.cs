using System.Text.Json.Serialization;
using UsernsTools.Facts.Denials;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Serialization;

/// <summary>Source-generated JSON for bubblewrap probes and denial evidence, with the same conventions as <see cref="UsernsJsonContext"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(BwrapProbeResult))]
[JsonSerializable(typeof(IReadOnlyList<BwrapProbeResult>))]
[JsonSerializable(typeof(BwrapInstallation))]
[JsonSerializable(typeof(IReadOnlyList<BwrapInstallation>))]
[JsonSerializable(typeof(UsernsDenial))]
[JsonSerializable(typeof(IReadOnlyList<UsernsDenial>))]
internal sealed partial class BwrapJsonContext : JsonSerializerContext
{
}
