using System.Text.Json.Serialization;

namespace UsernsTools.Configuration;

/// <summary>The instance document of the UsernsTools/Setting DSC resource.</summary>
internal sealed class DscSettingState
{
    public string Name { get; set; } = "";

    /// <summary>The value in force (runtime when the scope includes Runtime, else the value boot applies).</summary>
    public string? Value { get; set; }

    public IReadOnlyList<string> Scope { get; set; } = new[] { nameof(ChangeScope.Runtime), nameof(ChangeScope.Persistent) };

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RuntimeValue { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PersistedValue { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PersistedSource { get; set; }

    /// <summary>Null for get and set, true or false for test (the DSC convention).</summary>
    [JsonPropertyName("_inDesiredState")]
    public bool? InDesiredState { get; set; }
}
