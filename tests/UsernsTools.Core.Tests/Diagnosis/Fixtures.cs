using UsernsTools.Diagnosis;
using UsernsTools.Serialization;

namespace UsernsTools.Tests.Diagnosis;

/// <summary>Loads the recorded snapshots under tests/fixtures (copied next to the test assembly).</summary>
internal static class Fixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static string Text(string name) => File.ReadAllText(Path.Combine(Directory, name + ".json"));

    public static UsernsSnapshot Load(string name) => ReportReader.Parse(Text(name), name);

    public static IEnumerable<string> Names() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal);
}
