namespace UsernsTools.HelpGen;

/// <summary>One entry of a parameter's ParameterSets list in platyPS YAML.</summary>
public sealed class ParameterSetYaml
{
    public string? Name { get; set; }

    public string? Position { get; set; }

    public bool IsRequired { get; set; }

    public bool ValueFromPipeline { get; set; }

    public bool ValueFromPipelineByPropertyName { get; set; }

    public bool ValueFromRemainingArguments { get; set; }
}
