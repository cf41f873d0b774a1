using System.Text.Json.Serialization;
using UsernsTools.Configuration;
using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Facts.Denials;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;
using UsernsTools.Sandbox;

namespace UsernsTools.Serialization;

/// <summary>Source-generated JSON for reports, the journal, DSC and the CLI (one context, so one set of options): camelCase names, enums as strings, no reflection at start-up.</summary>
/// <remarks>
/// Each enum names <see cref="EnumNameConverter{TEnum}"/>, which writes the names without the standard converter's
/// reflection (a test checks that every enum here does); UseStringEnumConverter still writes one that did not as a string.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(UsernsSnapshot))]
[JsonSerializable(typeof(IReadOnlyList<UsernsSetting>))]
[JsonSerializable(typeof(IReadOnlyList<UsernsProbeResult>))]
[JsonSerializable(typeof(IReadOnlyList<SubordinateIdRange>))]
[JsonSerializable(typeof(BwrapProbeResult))]
[JsonSerializable(typeof(IReadOnlyList<BwrapProbeResult>))]
[JsonSerializable(typeof(BwrapInstallation))]
[JsonSerializable(typeof(IReadOnlyList<BwrapInstallation>))]
[JsonSerializable(typeof(UsernsDenial))]
[JsonSerializable(typeof(IReadOnlyList<UsernsDenial>))]
[JsonSerializable(typeof(JournalRecord))]
[JsonSerializable(typeof(UsernsChange))]
[JsonSerializable(typeof(IReadOnlyList<UsernsChange>))]
[JsonSerializable(typeof(UsernsBackup))]
[JsonSerializable(typeof(IReadOnlyList<UsernsBackup>))]
[JsonSerializable(typeof(DscSettingState))]
[JsonSerializable(typeof(NamespaceSpec))]
[JsonSerializable(typeof(NamespacedProcessResult))]
[JsonSerializable(typeof(ProcessNamespace))]
[JsonSerializable(typeof(IReadOnlyList<ProcessNamespace>))]


// The status holds these directly, as the snapshot does further down: named here, they are generated for reading
// before the status line below reaches them (a type takes the mode of the first line that reaches it).
[JsonSerializable(typeof(MachineFacts))]
[JsonSerializable(typeof(UsernsSubject))]
[JsonSerializable(typeof(IReadOnlyList<string>))]

// Last, and only written: the status is never read back (reports are read as a UsernsSnapshot), so it needs no
// metadata, and writing it takes the generated writer alone instead of building the metadata of every type in it
// at each start (1.6 ms of a cold 'status --json'). What only the status holds (its findings) is written the same way.
[JsonSerializable(typeof(UsernsStatus), GenerationMode = JsonSourceGenerationMode.Serialization)]
internal sealed partial class UsernsJsonContext : JsonSerializerContext
{
}
