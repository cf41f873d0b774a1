using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsernsTools.Serialization;

/// <summary>
/// Writes an enum as its declared name, as <see cref="JsonStringEnumConverter{TEnum}"/> does for an enum that renames none
/// of its members, and hands everything else to that converter: reading (names in any case, numbers), a value with no
/// name of its own, and a combination of flags. Every enum the engine's JSON holds names it with
/// <see cref="JsonConverterAttribute"/>.
/// </summary>
/// <remarks>
/// The standard converter builds its table of names the first time each enum is written, by reflection over the enum's
/// fields and their attributes: in the native command that cost about 0.04 ms per enum, some 0.4 ms of a cold
/// <c>status --json</c>, which writes ten of them. The names here come from <see cref="Enum.GetNames{TEnum}"/>, and the
/// standard converter is built only when something needs it.
/// </remarks>
internal sealed class EnumNameConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private static readonly TEnum[] s_values = Enum.GetValues<TEnum>();
    private static readonly string[] s_names = Enum.GetNames<TEnum>();

    private JsonConverter<TEnum>? _standard;

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Standard(options).Read(ref reader, typeToConvert, options);

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (Name(value) is { } name)
        {
            writer.WriteStringValue(name);
        }
        else
        {
            Standard(options).Write(writer, value, options);
        }
    }

    public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Standard(options).ReadAsPropertyName(ref reader, typeToConvert, options);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        Standard(options).WriteAsPropertyName(writer, value, options);

    /// <summary>The declared name of <paramref name="value"/>; null for a value no member has.</summary>
    private static string? Name(TEnum value)
    {
        var values = s_values;
        for (var i = 0; i < values.Length; i++)
        {
            if (EqualityComparer<TEnum>.Default.Equals(values[i], value))
            {
                return s_names[i];
            }
        }

        return null;
    }

    private JsonConverter<TEnum> Standard(JsonSerializerOptions options) =>
        _standard ??= (JsonConverter<TEnum>)new JsonStringEnumConverter<TEnum>().CreateConverter(typeof(TEnum), options)!;
}
