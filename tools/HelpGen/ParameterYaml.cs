namespace UsernsTools.HelpGen;

/// <summary>The YAML block platyPS writes under a parameter's heading; property names are its keys.</summary>
public sealed class ParameterYaml
{
    public string? Type { get; set; }

    public string? DefaultValue { get; set; }

    public bool SupportsWildcards { get; set; }

    public bool DontShow { get; set; }

    public List<string>? Aliases { get; set; }

    public List<string>? AcceptedValues { get; set; }

    public List<ParameterSetYaml>? ParameterSets { get; set; }
}
