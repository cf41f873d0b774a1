using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Diagnosis;

/// <summary>How much a finding matters.</summary>
[JsonConverter(typeof(EnumNameConverter<Severity>))]
public enum Severity
{
    Info,
    Warning,
    Blocking,
}
