using System.Text.Json.Serialization;
using UsernsTools.Configuration;

namespace UsernsTools.Serialization;

/// <summary>Source-generated JSON for changes, backups, journal records and the DSC resource documents.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(JournalRecord))]
[JsonSerializable(typeof(UsernsChange))]
[JsonSerializable(typeof(IReadOnlyList<UsernsChange>))]
[JsonSerializable(typeof(UsernsBackup))]
[JsonSerializable(typeof(IReadOnlyList<UsernsBackup>))]
[JsonSerializable(typeof(DscSettingState))]
internal sealed partial class ConfigurationJsonContext : JsonSerializerContext
{
}
