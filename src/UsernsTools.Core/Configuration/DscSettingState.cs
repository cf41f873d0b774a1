using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace UsernsTools.Configuration;

/// <summary>The instance document of the UsernsTools/Setting DSC resource, as get, test, set and export write it.</summary>
internal sealed class DscSettingState
{
    public string Name { get; set; } = "";

    /// <summary>
    /// The value in force, in the JSON type the request gave it (an integer stays an integer), so DSC compares like with
    /// like. Absent when no asked scope has one (a setting this kernel lacks and no file sets): the schema has no null.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? Value { get; set; }

    public IReadOnlyList<string> Scope { get; set; } = new[] { nameof(ChangeScope.Runtime), nameof(ChangeScope.Persistent) };

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RuntimeValue { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PersistedValue { get; set; }

    /// <summary>file:line of the assignment that wins at boot.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PersistedSource { get; set; }

    /// <summary>Null for get, set and export, true or false for test (the DSC convention).</summary>
    [JsonPropertyName("_inDesiredState")]
    public bool? InDesiredState { get; set; }
}
