using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Facts;

/// <summary>Which file a subordinate range comes from.</summary>
[JsonConverter(typeof(EnumNameConverter<SubordinateIdKind>))]
public enum SubordinateIdKind
{
    Uid,
    Gid,
}
