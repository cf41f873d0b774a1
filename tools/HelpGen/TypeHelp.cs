namespace UsernsTools.HelpGen;

/// <summary>An INPUTS or OUTPUTS entry: "### TypeName" and the paragraphs below it.</summary>
public sealed class TypeHelp
{
    public string Type { get; set; } = "";

    public List<string> Description { get; } = new();
}
