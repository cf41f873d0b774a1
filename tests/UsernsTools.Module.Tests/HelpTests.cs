using System.Xml.Linq;
using UsernsTools.HelpGen;
using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>Every cmdlet and parameter is documented as it really is, and the built help is what the docs produce.</summary>
public class HelpTests
{
    public static TheoryData<string> CmdletNames() => CmdletContractTests.CmdletNames();

    private static CmdletInfo Cmdlet(string name) => ModuleAssembly.Cmdlets.Single(c => c.Name == name);

    private static CommandHelp Doc(string name)
    {
        var path = Path.Combine(RepositoryLayout.DocsDirectory, name + ".md");
        Assert.True(File.Exists(path), $"{name} has no help: expected {path}.");
        return MarkdownHelpReader.ReadFile(path);
    }

    private static string SetName(string attributeSetName) =>
        attributeSetName == ParameterSetInfo.AllSets ? ParameterSetHelp.AllSets : attributeSetName;

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void HasPlatyPSFrontMatter(string name)
    {
        var doc = Doc(name);
        Assert.Equal(name, doc.Name);
        Assert.Equal("cmdlet", doc.Metadata.GetValueOrDefault("document type"));
        Assert.Equal("UsernsTools.dll-Help.xml", doc.Metadata.GetValueOrDefault("external help file"));
        Assert.Equal("UsernsTools", doc.Metadata.GetValueOrDefault("Module Name"));
        Assert.Equal("en-US", doc.Metadata.GetValueOrDefault("Locale"));
        Assert.Equal("2024-05-01", doc.Metadata.GetValueOrDefault("PlatyPS schema version"));
        Assert.Equal(name, doc.Metadata.GetValueOrDefault("title"));
        Assert.StartsWith("https://", doc.Metadata.GetValueOrDefault("HelpUri"));
        Assert.Matches(@"^\d{2}/\d{2}/\d{4}$", doc.Metadata.GetValueOrDefault("ms.date"));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void HasSynopsisDescriptionAndRealExamples(string name)
    {
        var doc = Doc(name);
        Assert.False(string.IsNullOrWhiteSpace(doc.Synopsis), $"{name}: empty SYNOPSIS");
        Assert.NotEmpty(doc.Description);
        Assert.True(doc.Examples.Count >= 2, $"{name}: {doc.Examples.Count} examples, want at least 2.");
        Assert.All(doc.Examples, e => Assert.Contains(e.Code, c => c.Contains(name, StringComparison.Ordinal)));
        Assert.True(doc.HasCommonParameters, $"{name}: ### CommonParameters is missing.");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void EveryParameterIsDocumentedAsDeclared(string name)
    {
        var cmdlet = Cmdlet(name);
        var doc = Doc(name);
        Assert.Equal(cmdlet.Parameters.Select(p => p.Name).Order(StringComparer.Ordinal), doc.Parameters.Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var parameter in cmdlet.Parameters)
        {
            var help = doc.Parameters.Single(p => p.Name == parameter.Name);
            Assert.True(help.Description.Count > 0, $"{name} -{parameter.Name}: no description.");
            Assert.Equal(parameter.Property.PropertyType.FullName, help.Type);
            Assert.Equal(parameter.Aliases.Order(StringComparer.Ordinal), help.Aliases.Order(StringComparer.Ordinal));
            Assert.Equal(parameter.Sets.Count, help.ParameterSets.Count);
            foreach (var set in parameter.Sets)
            {
                var documented = help.ParameterSets.SingleOrDefault(s => s.Name == SetName(set.SetName));
                Assert.True(documented is not null, $"{name} -{parameter.Name}: set {SetName(set.SetName)} is not documented.");
                Assert.Equal(set.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "Named", documented.Position);
                Assert.Equal(set.Mandatory, documented.IsRequired);
                Assert.Equal(set.ValueFromPipeline, documented.ValueFromPipeline);
                Assert.Equal(set.ValueFromPipelineByPropertyName, documented.ValueFromPipelineByPropertyName);
            }
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void SyntaxHasOneBlockPerParameterSet(string name)
    {
        var cmdlet = Cmdlet(name);
        var expected = cmdlet.ParameterSetNames.Count == 0 ? new List<string> { ParameterSetInfo.AllSets } : cmdlet.ParameterSetNames.ToList();
        var doc = Doc(name);
        Assert.Equal(expected.Order(StringComparer.Ordinal), doc.Syntax.Select(s => s.Key).Order(StringComparer.Ordinal));
        Assert.All(doc.Syntax, s => Assert.StartsWith(name, s.Value, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void OutputsAreTheDeclaredOutputTypes(string name)
    {
        Assert.Equal(
            Cmdlet(name).OutputTypes.Select(t => t.FullName!).Order(StringComparer.Ordinal),
            Doc(name).Outputs.Select(o => o.Type).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DocsDescribeNoCmdletThatDoesNotExist()
    {
        var cmdlets = ModuleAssembly.Cmdlets.Select(c => c.Name).ToHashSet();
        var documented = Directory.GetFiles(RepositoryLayout.DocsDirectory, "*.md")
            .Select(f => Path.GetFileNameWithoutExtension(f)!)
            .Where(n => !n.StartsWith("about_", StringComparison.Ordinal));
        Assert.All(documented, n => Assert.Contains(n, cmdlets));
        Assert.True(File.Exists(Path.Combine(RepositoryLayout.DocsDirectory, "about_UsernsTools.md")));
    }

    [Fact]
    public void CheckedInAndBuiltHelpAreWhatTheDocsProduce()
    {
        var expected = HelpBuilder.Build(RepositoryLayout.DocsDirectory);
        Assert.Equal(new[] { "UsernsTools.dll-Help.xml", "about_UsernsTools.help.txt" }.Order(), expected.Keys.Order());
        foreach (var folder in new[] { Path.Combine(RepositoryLayout.Root, "en-US"), Path.Combine(RepositoryLayout.ModuleDirectory, "en-US") })
        {
            foreach (var (file, content) in expected)
            {
                var path = Path.Combine(folder, file);
                Assert.True(File.Exists(path), $"missing {path}");
                Assert.True(content == File.ReadAllText(path),
                    $"{path} is stale: run 'dotnet run --project tools/HelpGen -- docs/en-US en-US' (or build.ps1 -Task Docs) and republish.");
            }
        }
    }

    [Fact]
    public void MamlDescribesEachCmdletWithItsParameters()
    {
        XNamespace command = MamlWriter.CommandNamespace;
        XNamespace maml = MamlWriter.MamlNamespace;
        var xml = XDocument.Parse(HelpBuilder.Build(RepositoryLayout.DocsDirectory)[HelpBuilder.MamlFileName]);
        Assert.Equal(XName.Get("helpItems", MamlWriter.MshNamespace), xml.Root!.Name);
        var commands = xml.Root.Elements(command + "command").ToList();
        Assert.Equal(ModuleAssembly.Cmdlets.Select(c => c.Name), commands.Select(c => c.Element(command + "details")!.Element(command + "name")!.Value));
        foreach (var element in commands)
        {
            var cmdlet = Cmdlet(element.Element(command + "details")!.Element(command + "name")!.Value);
            var parameters = element.Element(command + "parameters")!.Elements(command + "parameter").Select(p => p.Element(maml + "name")!.Value);
            Assert.Equal(cmdlet.Parameters.Select(p => p.Name).Order(), parameters.Order());
            Assert.True(element.Element(command + "examples")!.Elements(command + "example").Count() >= 2);
        }
    }
}
