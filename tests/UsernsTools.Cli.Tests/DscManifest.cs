using System.Text.Json;
using Json.Schema;

namespace UsernsTools.Tests.Cli;

/// <summary>usernstools.dsc.resource.json of the repository, and its embedded instance schema built once (schema ids are registered globally).</summary>
internal static class DscManifest
{
    public static JsonElement Root { get; } = JsonDocument.Parse(File.ReadAllText(Path.Combine(Prerequisites.RepoRoot, "usernstools.dsc.resource.json"))).RootElement.Clone();

    public static JsonElement Embedded => Root.GetProperty("schema").GetProperty("embedded");

    public static JsonSchema InstanceSchema { get; } = JsonSchema.FromText(Embedded.GetRawText());

    public static int ExitCode(string meaning) => int.Parse(
        Root.GetProperty("exitCodes").EnumerateObject().Single(p => p.Value.GetString() == meaning).Name,
        System.Globalization.CultureInfo.InvariantCulture);
}
