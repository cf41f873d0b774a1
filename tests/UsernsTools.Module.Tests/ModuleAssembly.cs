using System.Reflection;
using System.Runtime.InteropServices;

namespace UsernsTools.Module.Tests;

/// <summary>
/// The built UsernsTools.dll opened with MetadataLoadContext: PowerShellStandard is a reference assembly with no
/// engine, so the cmdlet attributes can be read as data but never instantiated.
/// </summary>
internal static class ModuleAssembly
{
    private static readonly Lazy<(MetadataLoadContext Context, Assembly Module, Assembly Engine)> s_loaded = new(Load);

    public static Assembly Module => s_loaded.Value.Module;

    public static Assembly Engine => s_loaded.Value.Engine;

    public static MetadataLoadContext Context => s_loaded.Value.Context;

    public static IReadOnlyList<CmdletInfo> Cmdlets { get; } = ReadCmdlets();

    /// <summary>The values of the public constants of System.Management.Automation's Verbs* classes.</summary>
    public static IReadOnlySet<string> ApprovedVerbs { get; } = ReadApprovedVerbs();

    public static Type EngineType(string fullName) => Engine.GetType(fullName, throwOnError: true)!;

    /// <summary>
    /// A type objects are piped from: an engine type, or a runtime type that lives in the assembly of its own
    /// name (System.Diagnostics.Process, what Get-Process writes).
    /// </summary>
    public static Type SourceType(string fullName) =>
        Engine.GetType(fullName)
        ?? Context.CoreAssembly?.GetType(fullName)
        ?? (fullName.StartsWith("System.Management.Automation.", StringComparison.Ordinal)
            ? Context.LoadFromAssemblyName("System.Management.Automation").GetType(fullName, throwOnError: true)!
            : Context.LoadFromAssemblyName(fullName).GetType(fullName, throwOnError: true)!);

    private static (MetadataLoadContext, Assembly, Assembly) Load()
    {
        var moduleDirectory = RepositoryLayout.ModuleDirectory;
        var paths = new List<string>(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"));
        paths.AddRange(Directory.GetFiles(moduleDirectory, "*.dll"));
        paths.Add(Path.Combine(AppContext.BaseDirectory, "runtimes", "unix", "lib", "net10.0", "System.Management.Automation.dll"));
        var context = new MetadataLoadContext(new PathAssemblyResolver(paths), "System.Private.CoreLib");
        var module = context.LoadFromAssemblyPath(Path.Combine(moduleDirectory, "UsernsTools.dll"));
        var engine = context.LoadFromAssemblyPath(Path.Combine(moduleDirectory, "UsernsTools.Core.dll"));
        return (context, module, engine);
    }

    private static List<CmdletInfo> ReadCmdlets()
    {
        var result = new List<CmdletInfo>();
        foreach (var type in Module.GetTypes())
        {
            var cmdlet = type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute");
            if (cmdlet is null)
            {
                continue;
            }

            var parameters = new List<ParameterInfo>();
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var attributes = property.GetCustomAttributesData();
                var sets = attributes.Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute")
                    .Select(a => new ParameterSetInfo(
                        Named(a, "ParameterSetName", ParameterSetInfo.AllSets),
                        Named(a, "Position", int.MinValue) is var p && p == int.MinValue ? null : p,
                        Named(a, "Mandatory", false),
                        Named(a, "ValueFromPipeline", false),
                        Named(a, "ValueFromPipelineByPropertyName", false)))
                    .ToList();
                if (sets.Count == 0)
                {
                    continue;
                }

                var aliases = attributes.Where(a => a.AttributeType.FullName == "System.Management.Automation.AliasAttribute")
                    .SelectMany(a => a.ConstructorArguments)
                    .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => (string)m.Value!) : new[] { (string)arg.Value! })
                    .ToList();
                parameters.Add(new ParameterInfo(property, aliases, sets));
            }

            result.Add(new CmdletInfo(
                type,
                (string)cmdlet.ConstructorArguments[0].Value!,
                (string)cmdlet.ConstructorArguments[1].Value!,
                cmdlet,
                parameters));
        }

        return result.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    private static HashSet<string> ReadApprovedVerbs()
    {
        var automation = Context.LoadFromAssemblyName("System.Management.Automation");
        return automation.GetExportedTypes()
            .Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static T Named<T>(CustomAttributeData attribute, string name, T fallback)
    {
        // A default CustomAttributeNamedArgument throws on MemberName, so search for the index instead.
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.MemberName == name)
            {
                return (T)argument.TypedValue.Value!;
            }
        }

        return fallback;
    }
}
