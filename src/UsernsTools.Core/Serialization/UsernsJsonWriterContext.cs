using System.Text.Json.Serialization;
using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Facts.Denials;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Serialization;

/// <summary>
/// Output-only JSON: the source generator writes straight to Utf8JsonWriter (no metadata graph to build at
/// start-up), which is what keeps a cold <c>usernstools status --json</c> close to the runtime's own start-up.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Serialization,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true)]
[JsonSerializable(typeof(UsernsStatus))]
[JsonSerializable(typeof(IReadOnlyList<UsernsSetting>))]
[JsonSerializable(typeof(IReadOnlyList<UsernsProbeResult>))]
[JsonSerializable(typeof(IReadOnlyList<SubordinateIdRange>))]
[JsonSerializable(typeof(IReadOnlyList<BwrapProbeResult>))]
[JsonSerializable(typeof(UsernsDenial))]
internal sealed partial class UsernsJsonWriterContext : JsonSerializerContext
{
}
