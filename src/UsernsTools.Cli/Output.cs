using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace UsernsTools.Cli;

/// <summary>Writes JSON through the engine's source-generated context (no reflection at start-up): every JSON the command writes goes this one way.</summary>
internal static class Output
{
    /// <summary>
    /// Sets up the writing of a <typeparamref name="T"/> on a thread of its own, for a caller whose other core is idle
    /// while it gathers what it writes; see <see cref="PrepareJsonNow"/>. <see cref="WriteJson"/> then finds it ready
    /// (or waits for the part still being built).
    /// </summary>
    public static void PrepareJson<T>(Func<JsonTypeInfo<T>> typeInfo, Func<T> sample)
    {
        var thread = new Thread(() => PrepareJsonNow(typeInfo, sample))
        {
            IsBackground = true,
            Name = "UsernsTools JSON",
        };
        thread.Start();
    }

    /// <summary>
    /// Sets up the writing of a <typeparamref name="T"/> on this thread, for a caller with time to spare before it
    /// writes (one waiting for its helpers), by writing what <paramref name="sample"/> makes nowhere with the type
    /// information <paramref name="typeInfo"/> gets (which builds its context on first use): the context, the
    /// encoder and the property names, and the type information (each converter, each enum's names) of every type the
    /// sample holds. What it does not hold is left to the write: built ahead for every type a <typeparamref name="T"/>
    /// can hold, it cost more than the write spends on the types it meets. Never throws: whatever fails here fails again,
    /// and is reported, when the command writes.
    /// </summary>
    public static void PrepareJsonNow<T>(Func<JsonTypeInfo<T>> typeInfo, Func<T> sample)
    {
        try
        {
            // Each type's information looks up these attributes by reflection, which returns them in arrays of their
            // type: named here, the native build has those array types ready instead of building them at run time.
            GC.KeepAlive(Array.Empty<JsonPolymorphicAttribute>());
            GC.KeepAlive(Array.Empty<JsonDerivedTypeAttribute>());
            var info = typeInfo();

            // Through a writer, as WriteJson serializes: the generated writer, not metadata a write-only type lacks.
            using var writer = new Utf8JsonWriter(Stream.Null);
            JsonSerializer.Serialize(writer, sample(), info);
        }
#pragma warning disable CA1031 // Only a head start: whatever fails here fails again, and is reported, when the command writes.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    public static void WriteJson<T>(TextWriter writer, T value, JsonTypeInfo<T> typeInfo)
    {
        writer.WriteLine(JsonSerializer.Serialize(value, typeInfo));
    }
}
