using System.Management.Automation.Language;
using System.Xml.Linq;
using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>
/// UsernsTools.Format.ps1xml read as data: every output type, local or deserialized, has a table as its default view,
/// every column names a real property and every script block parses. How the views render is in ViewRenderingTests.
/// </summary>
public class FormatTests
{
    private static XDocument Format => XDocument.Load(Path.Combine(RepositoryLayout.ModuleDirectory, "UsernsTools.Format.ps1xml"));

    private static IEnumerable<XElement> Views => Format.Root!.Element("ViewDefinitions")!.Elements("View");

    public static TheoryData<string> OutputTypeNames()
    {
        var data = new TheoryData<string>();
        foreach (var type in ModuleAssembly.Cmdlets.SelectMany(c => c.OutputTypes).Where(t => !t.IsPrimitive && t.FullName != "System.String").Select(t => t.FullName!).Distinct())
        {
            data.Add(type);
        }

        return data;
    }

    public static TheoryData<string, string> ScriptBlocks()
    {
        var data = new TheoryData<string, string>();
        foreach (var view in Views)
        {
            var name = view.Element("Name")!.Value;
            var index = 0;
            foreach (var script in view.Descendants("ScriptBlock"))
            {
                data.Add($"{name} #{++index}", script.Value);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OutputTypeNames))]
    public void OutputTypeHasATableAsDefaultViewAlsoWhenDeserialized(string typeName)
    {
        // PowerShell shows an object with the first view that selects its type.
        var view = Views.FirstOrDefault(v => v.Element("ViewSelectedBy")!.Elements("TypeName").Any(t => t.Value == typeName));
        Assert.True(view is not null, $"no view selects {typeName}");
        Assert.NotNull(view.Element("TableControl"));
        Assert.Contains("Deserialized." + typeName, view.Element("ViewSelectedBy")!.Elements("TypeName").Select(t => t.Value));
    }

    [Theory]
    [MemberData(nameof(ScriptBlocks))]
    public void EveryScriptBlockParses(string where, string script)
    {
        Parser.ParseInput(script, out _, out var errors);
        Assert.True(errors.Length == 0, $"{where}: {string.Join("; ", errors.Select(e => e.Message))}\n{script}");
    }

    [Fact]
    public void EveryViewIsWellFormedAndNamesRealProperties()
    {
        Assert.Equal("Configuration", Format.Root!.Name.LocalName);
        Assert.Equal(Views.Count(), Views.Select(v => v.Element("Name")!.Value).Distinct().Count());
        foreach (var view in Views)
        {
            var name = view.Element("Name")!.Value;
            var typeNames = view.Element("ViewSelectedBy")!.Elements("TypeName").Select(t => t.Value).ToList();
            var localTypes = typeNames.Where(t => !t.StartsWith("Deserialized.", StringComparison.Ordinal)).ToList();
            Assert.Single(localTypes);
            Assert.Contains("Deserialized." + localTypes[0], typeNames);
            var type = ModuleAssembly.EngineType(localTypes[0]);
            var properties = type.GetProperties().Select(p => p.Name).ToHashSet();

            List<XElement> items;
            if (view.Element("TableControl") is { } table)
            {
                var headers = table.Element("TableHeaders")!.Elements("TableColumnHeader").ToList();
                items = table.Element("TableRowEntries")!.Element("TableRowEntry")!.Element("TableColumnItems")!.Elements("TableColumnItem").ToList();
                Assert.Equal(headers.Count, items.Count);
            }
            else
            {
                var list = view.Element("ListControl");
                Assert.True(list is not null, $"{name}: neither a table nor a list view");
                items = list.Element("ListEntries")!.Element("ListEntry")!.Element("ListItems")!.Elements("ListItem").ToList();
                Assert.All(items, i => Assert.True(i.Element("PropertyName") is not null || i.Element("Label") is not null, $"{name}: a computed list item needs a label"));
            }

            foreach (var item in items)
            {
                var property = item.Element("PropertyName")?.Value;
                var script = item.Element("ScriptBlock")?.Value;
                Assert.True(property is not null ^ script is not null, $"{name}: an item needs exactly one of PropertyName or ScriptBlock.");
                if (property is not null)
                {
                    Assert.True(properties.Contains(property), $"{name}: {type.Name} has no property {property}.");
                }
                else
                {
                    // $_.Prop in the script block itself must be real too ($_ inside a nested ForEach-Object is another object).
                    foreach (var referenced in PropertiesOfTheViewedObject(script!))
                    {
                        Assert.True(properties.Contains(referenced), $"{name}: {type.Name} has no property {referenced}.");
                    }
                }
            }
        }
    }

    private static IEnumerable<string> PropertiesOfTheViewedObject(string script)
    {
        var top = Parser.ParseInput(script, out _, out _);
        return top.FindAll(a => a is MemberExpressionAst { Expression: VariableExpressionAst { VariablePath.UserPath: "_" } }, searchNestedScriptBlocks: true)
            .Cast<MemberExpressionAst>()
            .Where(m => EnclosingScriptBlock(m) == top)
            .Select(m => ((StringConstantExpressionAst)m.Member).Value);
    }

    private static Ast? EnclosingScriptBlock(Ast ast)
    {
        for (var parent = ast.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ScriptBlockAst)
            {
                return parent;
            }
        }

        return null;
    }
}
