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
internal sealed partial class UsernsJsonContext : JsonSerializerContext
{
}
