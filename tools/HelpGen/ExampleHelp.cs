namespace UsernsTools.HelpGen;

/// <summary>One "### Example N" section: the commands, and the text that explains them.</summary>
public sealed class ExampleHelp
{
    public string Title { get; set; } = "";

    /// <summary>The PowerShell code blocks, in order.</summary>
    public List<string> Code { get; } = new();

    /// <summary>Paragraphs and output blocks after the title, in order.</summary>
    public List<string> Remarks { get; } = new();
}
