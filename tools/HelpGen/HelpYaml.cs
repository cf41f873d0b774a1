using YamlDotNet.Serialization;

namespace UsernsTools.HelpGen;

/// <summary>Reads the YAML platyPS writes: the front matter, and the block under each parameter.</summary>
public static class HelpYaml
{
    private static readonly IDeserializer s_frontMatter = new DeserializerBuilder().Build();

    // platyPS writes keys the MAML has no place for (HelpMessage, ParameterValue): skip them.
    private static readonly IDeserializer s_parameter = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();

    /// <summary>Each front matter key with its scalar value; a key without one (empty, or a list) maps to "".</summary>
    public static Dictionary<string, string> FrontMatter(string text)
    {
        var yaml = s_frontMatter.Deserialize<Dictionary<string, object?>?>(text) ?? new();
        return yaml.ToDictionary(pair => pair.Key, pair => pair.Value as string ?? "", StringComparer.Ordinal);
    }

    public static ParameterYaml Parameter(string text) => s_parameter.Deserialize<ParameterYaml?>(text) ?? new();
}
