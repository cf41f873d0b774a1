namespace UsernsTools.HelpGen;

/// <summary>How a parameter binds in one parameter set ("(All)" for every set).</summary>
public sealed class ParameterSetHelp
{
    public const string AllSets = "(All)";

    public string Name { get; set; } = AllSets;

    /// <summary>"Named" or the 0-based position.</summary>
    public string Position { get; set; } = "Named";

    public bool IsRequired { get; set; }

    public bool ValueFromPipeline { get; set; }

    public bool ValueFromPipelineByPropertyName { get; set; }

    public bool ValueFromRemainingArguments { get; set; }
}
