using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace UsernsTools.Cli;

/// <summary>Writes JSON through the engine's source-generated context (no reflection at start-up): every JSON the command writes goes this one way.</summary>
internal static class Output
{
    /// <summary>
    /// Sets up the writing of a <typeparamref name="T"/> on a thread of its own, by writing <paramref name="empty"/>
    /// nowhere: the encoder, the context's property names, the type information and the enum converters are built once
    /// per process, some 0.85 ms that a cold command would otherwise spend after gathering what it writes. Call it
    /// before the gathering; <see cref="WriteJson"/> then finds them ready (or waits for the part still being built).
    /// </summary>
    public static void PrepareJson<T>(T empty, JsonTypeInfo<T> typeInfo)
    {
        var thread = new Thread(() =>
        {
            try
            {
                // Through a writer, as WriteJson serializes: the generated writer, not metadata a write-only type lacks.
                using var writer = new Utf8JsonWriter(Stream.Null);
                JsonSerializer.Serialize(writer, empty, typeInfo);
            }
#pragma warning disable CA1031 // Only a head start: whatever fails here fails again, and is reported, when the command writes.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        })
        {
            IsBackground = true,
            Name = "UsernsTools JSON",
        };
        thread.Start();
    }

    public static void WriteJson<T>(TextWriter writer, T value, JsonTypeInfo<T> typeInfo)
    {
        writer.WriteLine(JsonSerializer.Serialize(value, typeInfo));
    }
}
