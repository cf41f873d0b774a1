using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace UsernsTools.Cli;

/// <summary>Writes JSON through the engine's source-generated context (no reflection at start-up): every JSON the command writes goes this one way.</summary>
internal static class Output
{
    /// <summary>
    /// Sets up the writing of a <typeparamref name="T"/> on a thread of its own, so that a cold command does not build
    /// it after gathering what it writes: the context, the encoder and the property names, by writing what
    /// <paramref name="empty"/> makes nowhere. With <paramref name="everything"/>, also the type information and
    /// converter of every type a <typeparamref name="T"/> can hold (an empty one holds none of them): each reads
    /// attributes by reflection, and each enum's converter reads the enum's names, 2 to 3 ms of CPU in all. That is
    /// worth it only when the other core is otherwise idle; the caller pays only for the thread. Call it before the
    /// gathering; <see cref="WriteJson"/> then finds them ready (or waits for the part still being built).
    /// </summary>
    public static void PrepareJson<TContext, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(
        Func<TContext> context, Func<TContext, JsonTypeInfo<T>> typeInfo, Func<T> empty, bool everything)
        where TContext : JsonSerializerContext
    {
        var thread = new Thread(() =>
        {
            try
            {
                var resolver = context();
                var info = typeInfo(resolver);

                // Through a writer, as WriteJson serializes: the generated writer, not metadata a write-only type lacks.
                using var writer = new Utf8JsonWriter(Stream.Null);
                JsonSerializer.Serialize(writer, empty(), info);

#if NET9_0_OR_GREATER
                // The native build; earlier runtimes lack the element and key types of the type information.
                if (everything)
                {
                    // A write-only type has no property metadata: its own properties name the types below it.
                    var seen = new HashSet<Type> { typeof(T) };
                    foreach (var property in typeof(T).GetProperties())
                    {
                        Prepare(resolver, property.PropertyType, seen);
                    }
                }
#endif
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

#if NET9_0_OR_GREATER
    // The context's own type information for the type (built once, with its converter), then for every type it holds.
    private static void Prepare(JsonSerializerContext context, Type type, HashSet<Type> seen)
    {
        if (!seen.Add(type) || context.GetTypeInfo(type) is not { } info)
        {
            return;
        }

        foreach (var held in new[] { info.ElementType, info.KeyType, Nullable.GetUnderlyingType(type) })
        {
            if (held is not null)
            {
                Prepare(context, held, seen);
            }
        }

        if (info.Kind == JsonTypeInfoKind.Object)
        {
            foreach (var property in info.Properties)
            {
                Prepare(context, property.PropertyType, seen);
            }
        }
    }
#endif

    public static void WriteJson<T>(TextWriter writer, T value, JsonTypeInfo<T> typeInfo)
    {
        writer.WriteLine(JsonSerializer.Serialize(value, typeInfo));
    }
}
