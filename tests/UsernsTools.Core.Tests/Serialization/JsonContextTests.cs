using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using UsernsTools.Configuration;
using UsernsTools.Diagnosis;
using UsernsTools.Sandbox;
using UsernsTools.Serialization;
using Xunit;

namespace UsernsTools.Tests.Serialization;

/// <summary>
/// What the engine reads back (reports, journal records, DSC input, recorded sandbox results) keeps the metadata that
/// reading needs, while the status, which is only written, is written by the generated writer alone.
/// </summary>
public class JsonContextTests
{
    public static TheoryData<Type> ReadTypes => new()
    {
        typeof(UsernsSnapshot),
        typeof(JournalRecord),
        typeof(DscSettingState),
        typeof(NamespaceSpec),
        typeof(NamespacedProcessResult),
        typeof(ProcessNamespace),
    };

    [Theory]
    [MemberData(nameof(ReadTypes))]
    public void EveryTypeReadBackHasItsPropertiesForReading(Type root)
    {
        var seen = new HashSet<Type>();
        var missing = new List<string>();
        Walk(root, seen, missing);

        Assert.True(missing.Count == 0, "No property metadata for: " + string.Join(", ", missing));
        Assert.True(seen.Count > 1);
    }

    [Fact]
    public void StatusIsWrittenWithoutBuildingMetadata()
    {
        var info = UsernsJsonContext.Default.UsernsStatus;

        // A writer of its own and no property list to build before writing.
        Assert.NotNull(info.SerializeHandler);
        Assert.Empty(info.Properties);
    }

    [Fact]
    public void StatusWrittenByTheGeneratedWriterHoldsTheSnapshotItWasDiagnosedFrom()
    {
        var snapshot = Diagnosis.Fixtures.Load("ubuntu-24.04-chromium-denied");
        var status = Diagnoser.Diagnose(snapshot);

        var written = JsonDocument.Parse(JsonSerializer.Serialize(status, UsernsJsonContext.Default.UsernsStatus)).RootElement;

        Assert.Equal(status.Verdict.ToString(), written.GetProperty("verdict").GetString());
        Assert.Equal(status.Findings.Count, written.GetProperty("findings").GetArrayLength());
        Assert.Equal(snapshot.Facts.Subject.User, written.GetProperty("subject").GetProperty("user").GetString());
        var facts = JsonSerializer.Deserialize(written.GetProperty("facts").GetRawText(), UsernsJsonContext.Default.MachineFacts)!;
        Assert.Equal(snapshot.Facts.Settings.Count, facts.Settings.Count);
    }

    /// <summary>Every enum the context has type information for.</summary>
    public static TheoryData<Type> EnumTypes()
    {
        var data = new TheoryData<Type>();
        foreach (var property in typeof(UsernsJsonContext).GetProperties())
        {
            if (property.PropertyType.IsGenericType
                && property.PropertyType.GetGenericTypeDefinition() == typeof(JsonTypeInfo<>)
                && property.PropertyType.GetGenericArguments()[0] is { IsEnum: true } type)
            {
                data.Add(type);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EnumTypes))]
    public void EachEnumIsWrittenAndReadAsTheStandardStringConverterDoes(Type type) =>
        typeof(JsonContextTests).GetMethod(nameof(WrittenAndReadAsTheStandardConverterDoes), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type)
            .Invoke(null, null);

    /// <summary>
    /// Each value, one that no member has and (for flags) all of them at once: the same text as JsonStringEnumConverter
    /// writes, read back to the value; and a name in another case and a number read as that converter reads them.
    /// </summary>
    private static void WrittenAndReadAsTheStandardConverterDoes<T>()
        where T : struct, Enum
    {
        var info = (JsonTypeInfo<T>)UsernsJsonContext.Default.GetTypeInfo(typeof(T))!;
        Assert.IsType<EnumNameConverter<T>>(info.Converter);
        var standard = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter<T>() } };

        var values = Enum.GetValues<T>().ToList();
        var numbers = values.Select(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        values.Add((T)Enum.ToObject(typeof(T), numbers.Max() + 1000));
        if (typeof(T).IsDefined(typeof(FlagsAttribute)))
        {
            values.Add((T)Enum.ToObject(typeof(T), numbers.Aggregate(0L, (all, n) => all | n)));
        }

        foreach (var value in values)
        {
            var written = JsonSerializer.Serialize(value, info);
            Assert.Equal(JsonSerializer.Serialize(value, standard), written);
            Assert.Equal(value, JsonSerializer.Deserialize(written, info));
        }

        foreach (var text in Enum.GetNames<T>().Select(n => "\"" + n.ToLowerInvariant() + "\"").Append("1"))
        {
            Assert.Equal(JsonSerializer.Deserialize<T>(text, standard), JsonSerializer.Deserialize(text, info));
        }
    }

    private static void Walk(Type type, HashSet<Type> seen, List<string> missing)
    {
        if (!seen.Add(type))
        {
            return;
        }

        var info = UsernsJsonContext.Default.GetTypeInfo(type);
        if (info is null)
        {
            missing.Add(type.Name + " (no type info)");
            return;
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                IList<JsonPropertyInfo> properties;
                try
                {
                    properties = info.Properties;
                }
                catch (InvalidOperationException)
                {
                    missing.Add(type.Name);
                    return;
                }

                foreach (var property in properties)
                {
                    Walk(property.PropertyType, seen, missing);
                }

                break;
            case JsonTypeInfoKind.Enumerable when ReportReader.ElementType(type) is { } element:
                Walk(element, seen, missing);
                break;
        }
    }
}
