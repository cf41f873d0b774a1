using System.Text.Json;
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
