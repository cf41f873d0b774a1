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

    /// <summary>
    /// Every parameter set name the parameters mention, besides the all-sets marker. When there are named sets,
    /// the default set may be named by no parameter: PowerShell then makes it a set of the all-sets parameters
    /// only (Invoke-NamespacedProcess without a mapping switch), so it counts as a set too.
    /// </summary>
    public IReadOnlyList<string> ParameterSetNames
    {
        get
        {
            var named = Parameters.SelectMany(p => p.Sets).Select(s => s.SetName)
                .Where(n => n != ParameterSetInfo.AllSets).Distinct(StringComparer.Ordinal).ToList();
            if (named.Count > 0 && DefaultParameterSetName is { } defaultSet && !named.Contains(defaultSet))
            {
                named.Add(defaultSet);
            }

            return named;
        }
    }

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
