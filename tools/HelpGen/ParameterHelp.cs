namespace UsernsTools.HelpGen;

/// <summary>One "### -Name" section with its yaml block.</summary>
public sealed class ParameterHelp
{
    public string Name { get; set; } = "";

    public List<string> Description { get; } = new();

    /// <summary>Full type name, e.g. System.String[] or System.Management.Automation.SwitchParameter.</summary>
    public string Type { get; set; } = "";

    public string DefaultValue { get; set; } = "";

    public bool SupportsWildcards { get; set; }

    public List<string> Aliases { get; } = new();

    public List<ParameterSetHelp> ParameterSets { get; } = new();

    public List<string> AcceptedValues { get; } = new();

    public bool DontShow { get; set; }

    public bool IsSwitch => Type is "System.Management.Automation.SwitchParameter" or "SwitchParameter";
}
