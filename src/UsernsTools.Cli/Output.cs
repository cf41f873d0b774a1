using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace UsernsTools.Cli;

/// <summary>Writes JSON through the engine's source-generated context (no reflection at start-up): every JSON the command writes goes this one way.</summary>
internal static class Output
{
    public static void WriteJson<T>(TextWriter writer, T value, JsonTypeInfo<T> typeInfo)
    {
        writer.WriteLine(JsonSerializer.Serialize(value, typeInfo));
    }
}
