using System.Reflection;

namespace UsernsTools.Module.Tests;

/// <summary>One cmdlet parameter: its property, aliases and one entry per [Parameter] attribute.</summary>
internal sealed record ParameterInfo(PropertyInfo Property, IReadOnlyList<string> Aliases, IReadOnlyList<ParameterSetInfo> Sets)
{
    public string Name => Property.Name;

    public bool IsSwitch => Property.PropertyType.FullName == "System.Management.Automation.SwitchParameter";

    public bool ValueFromPipelineByPropertyName => Sets.Any(s => s.ValueFromPipelineByPropertyName);

    public bool IsMandatorySomewhere => Sets.Any(s => s.Mandatory);
}
