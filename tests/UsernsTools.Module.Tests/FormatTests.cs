using System.Xml.Linq;
using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>UsernsTools.Format.ps1xml is valid and gives every output type, local or deserialized, a table view.</summary>
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

    [Theory]
    [MemberData(nameof(OutputTypeNames))]
    public void OutputTypeHasATableViewAlsoWhenDeserialized(string typeName)
    {
        var view = Views.SingleOrDefault(v => v.Element("ViewSelectedBy")!.Elements("TypeName").Any(t => t.Value == typeName));
        Assert.True(view is not null, $"no view selects {typeName}");
        Assert.NotNull(view.Element("TableControl"));
        Assert.Contains("Deserialized." + typeName, view.Element("ViewSelectedBy")!.Elements("TypeName").Select(t => t.Value));
    }

    [Fact]
    public void StatusViewShowsVerdictAndFindingsFirst()
    {
        var view = Views.Single(v => v.Element("ViewSelectedBy")!.Elements("TypeName").Any(t => t.Value == "UsernsTools.Diagnosis.UsernsStatus"));
        var labels = view.Descendants("TableColumnHeader").Select(h => h.Element("Label")!.Value).Take(2);
        Assert.Equal(new[] { "Verdict", "Findings" }, labels);
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

            var table = view.Element("TableControl");
            Assert.True(table is not null, $"{name}: not a table view");
            var headers = table.Element("TableHeaders")!.Elements("TableColumnHeader").ToList();
            var items = table.Element("TableRowEntries")!.Element("TableRowEntry")!.Element("TableColumnItems")!.Elements("TableColumnItem").ToList();
            Assert.Equal(headers.Count, items.Count);
            foreach (var item in items)
            {
                var property = item.Element("PropertyName")?.Value;
                var script = item.Element("ScriptBlock")?.Value;
                Assert.True(property is not null ^ script is not null, $"{name}: a column needs exactly one of PropertyName or ScriptBlock.");
                if (property is not null)
                {
                    Assert.True(properties.Contains(property), $"{name}: {type.Name} has no property {property}.");
                }
                else
                {
                    // $_.Prop references in a script block must be real too (nested ones are checked one level down).
                    foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(script!, @"\$_\.(?<p>[A-Za-z]+)"))
                    {
                        Assert.True(properties.Contains(m.Groups["p"].Value), $"{name}: {type.Name} has no property {m.Groups["p"].Value}.");
                    }
                }
            }
        }
    }
}
