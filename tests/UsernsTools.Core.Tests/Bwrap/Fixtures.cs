using System.Text.Json;

namespace UsernsTools.Tests.Bwrap;

/// <summary>Reads the recorded message corpora under tests/fixtures/messages.</summary>
internal static class Fixtures
{
    public static JsonElement[] Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "fixtures", "messages", name);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }
}
