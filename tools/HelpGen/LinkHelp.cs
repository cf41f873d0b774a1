namespace UsernsTools.HelpGen;

/// <summary>A RELATED LINKS entry.</summary>
public sealed class LinkHelp
{
    public string Text { get; set; } = "";

    public string Uri { get; set; } = "";
}
