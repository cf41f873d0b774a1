using System.Reflection;

namespace UsernsTools.Module.Tests;

/// <summary>A cmdlet as its attributes declare it, read without running PowerShell.</summary>
internal sealed record CmdletInfo(Type Type, string Verb, string Noun, CustomAttributeData Attribute, IReadOnlyList<ParameterInfo> Parameters)
{
    public string Name => $"{Verb}-{Noun}";

    public string? DefaultParameterSetName => Named<string>("DefaultParameterSetName");

    public bool SupportsShouldProcess => Named<bool?>("SupportsShouldProcess") ?? false;

    /// <summary>The types named by every [OutputType] on the class.</summary>
    public IReadOnlyList<Type> OutputTypes => Type.GetCustomAttributesData()
        .Where(a => a.AttributeType.Name == "OutputTypeAttribute")
        .SelectMany(a => a.ConstructorArguments)
        .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : new[] { arg.Value })
        .OfType<Type>()
        .ToList();

    /// <summary>Every parameter set name the parameters mention, besides the all-sets marker.</summary>
    public IReadOnlyList<string> ParameterSetNames => Parameters.SelectMany(p => p.Sets).Select(s => s.SetName)
        .Where(n => n != ParameterSetInfo.AllSets).Distinct(StringComparer.Ordinal).ToList();

    private T? Named<T>(string name)
    {
        foreach (var argument in Attribute.NamedArguments)
        {
            if (argument.MemberName == name)
            {
                return (T?)argument.TypedValue.Value;
            }
        }

        return default;
    }
}
