namespace UsernsTools.HelpGen;

/// <summary>One cmdlet's help as written in docs/en-US/&lt;Verb-Noun&gt;.md.</summary>
public sealed class CommandHelp
{
    public string Name { get; set; } = "";

    /// <summary>The YAML front matter, key to raw value.</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    public string Synopsis { get; set; } = "";

    /// <summary>Parameter set name to the syntax line(s) shown under it.</summary>
    public List<KeyValuePair<string, string>> Syntax { get; } = new();

    public List<string> Aliases { get; } = new();

    public List<string> Description { get; } = new();

    public List<ExampleHelp> Examples { get; } = new();

    public List<ParameterHelp> Parameters { get; } = new();

    public bool HasCommonParameters { get; set; }

    public List<TypeHelp> Inputs { get; } = new();

    public List<TypeHelp> Outputs { get; } = new();

    public List<string> Notes { get; } = new();

    public List<LinkHelp> RelatedLinks { get; } = new();

    public string Verb => Name.Split('-', 2)[0];

    public string Noun => Name.Contains('-', StringComparison.Ordinal) ? Name.Split('-', 2)[1] : "";
}
