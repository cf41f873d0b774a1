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

    /// <summary>The parameters PowerShell adds to a cmdlet that supports ShouldProcess, with their aliases.</summary>
    private static readonly (string Name, string Alias)[] s_shouldProcessParameters = { ("WhatIf", "wi"), ("Confirm", "cf") };

    /// <summary>The parameters Get-Help must list: the declared ones, and -WhatIf/-Confirm where ShouldProcess adds them.</summary>
    private static IEnumerable<string> HelpParameterNames(CmdletInfo cmdlet) =>
        cmdlet.Parameters.Select(p => p.Name).Concat(cmdlet.SupportsShouldProcess ? s_shouldProcessParameters.Select(p => p.Name) : Array.Empty<string>());

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
        Assert.Equal(HelpParameterNames(cmdlet).Order(StringComparer.Ordinal), doc.Parameters.Select(p => p.Name).Order(StringComparer.Ordinal));
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
            var hidden = Doc(cmdlet.Name).Parameters.Where(p => p.DontShow).Select(p => p.Name).ToHashSet();
            Assert.Equal(HelpParameterNames(cmdlet).Where(n => !hidden.Contains(n)).Order(), parameters.Order());
            Assert.True(element.Element(command + "examples")!.Elements(command + "example").Count() >= 2);
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void ShouldProcessParametersAreInTheMamlSyntaxAndParameters(string name)
    {
        XNamespace command = MamlWriter.CommandNamespace;
        XNamespace maml = MamlWriter.MamlNamespace;
        var cmdlet = Cmdlet(name);
        var xml = XDocument.Parse(HelpBuilder.Build(RepositoryLayout.DocsDirectory)[HelpBuilder.MamlFileName]);
        var element = xml.Root!.Elements(command + "command").Single(c => c.Element(command + "details")!.Element(command + "name")!.Value == name);
        var syntaxItems = element.Element(command + "syntax")!.Elements(command + "syntaxItem").ToList();
        var parameters = element.Element(command + "parameters")!.Elements(command + "parameter").ToList();
        Assert.NotEmpty(syntaxItems);
        foreach (var (parameterName, alias) in s_shouldProcessParameters)
        {
            static string? Named(XElement p, XNamespace maml) => p.Element(maml + "name")?.Value;
            if (!cmdlet.SupportsShouldProcess)
            {
                Assert.DoesNotContain(parameters, p => Named(p, maml) == parameterName);
                continue;
            }

            foreach (var item in syntaxItems)
            {
                var names = item.Elements(command + "parameter").Select(p => Named(p, maml)).ToList();
                Assert.True(names.Contains(parameterName), $"{name}: a syntax line of the MAML lacks -{parameterName}.");
            }

            var documented = parameters.SingleOrDefault(p => Named(p, maml) == parameterName);
            Assert.True(documented is not null, $"{name}: the MAML PARAMETERS lack -{parameterName}.");
            Assert.Equal(alias, documented.Attribute("aliases")!.Value);
            Assert.Equal("false", documented.Attribute("required")!.Value);
            Assert.Equal("System.Management.Automation.SwitchParameter", documented.Element(XName.Get("type", MamlWriter.DevNamespace))!.Element(XName.Get("name", MamlWriter.DevNamespace))!.Value);
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void WildcardSupportIsDocumentedAsDeclared(string name)
    {
        var doc = Doc(name);
        foreach (var parameter in Cmdlet(name).Parameters)
        {
            var declared = parameter.Property.GetCustomAttributesData().Any(a => a.AttributeType.Name == "SupportsWildcardsAttribute");
            var documented = doc.Parameters.Single(p => p.Name == parameter.Name).SupportsWildcards;
            Assert.True(declared == documented, $"{name} -{parameter.Name}: [SupportsWildcards] is {declared}, the help says SupportsWildcards: {documented}.");
        }
    }

    [Fact]
    public void AboutTopicNamesOnlyErrorIdsTheCodeEmits()
    {
        var about = File.ReadAllText(Path.Combine(RepositoryLayout.DocsDirectory, "about_UsernsTools.md"));
        var section = System.Text.RegularExpressions.Regex.Match(about, @"(?ms)^## ERROR IDS\s*$(?<body>.*?)(?=^## )");
        Assert.True(section.Success, "about_UsernsTools has no ERROR IDS section.");

        // Every backquoted PascalCase word in the topic is an error id: the section lists them, the prose quotes them.
        var named = System.Text.RegularExpressions.Regex.Matches(about, "`(?<id>[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)`")
            .Select(m => m.Groups["id"].Value)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.Contains("UnknownUser", named);
        var sources = new[] { "src/UsernsTools.Core", "src/UsernsTools" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(RepositoryLayout.Root, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();
        var emitted = ErrorIdsIn(sources);
        var unknown = named.Where(id => !emitted.Contains(id)).ToList();
        Assert.True(unknown.Count == 0, $"about_UsernsTools names error ids the code never emits: {string.Join(", ", unknown)}.");
    }

    [Fact]
    public void TheErrorIdCheckRecognisesHowTheCodeEmitsIds()
    {
        // A guard for the guard: ids are found where they are given to an exception or an ErrorRecord, not anywhere.
        var emitted = ErrorIdsIn(new[]
        {
            """throw new UsernsException("UnknownUser", UsernsErrorCategory.ObjectNotFound, "text", user);""",
            """new("BackupNotFound", UsernsErrorCategory.ObjectNotFound, $"There is no backup '{id}'.", id);""",
            """WriteError(new ErrorRecord(ex, "LogNotFound", ErrorCategory.ObjectNotFound, path));""",
            """new DenialSourceNotice(shown, severity, "LogNotReadable", "text")""",
            """throw new UsernsException(denied ? "DenialLogNotReadable" : "DenialLogNotFound", denied ? UsernsErrorCategory.PermissionDenied : UsernsErrorCategory.ObjectNotFound, "text");""",
            """var text = "UserNotFound";""",
            """internal static class SandboxErrorIds { public const string ProgramNotFound = "ProgramNotFound"; public const string Unused = "NeverThrown"; }""",
            """throw new UsernsException( SandboxErrorIds.ProgramNotFound, UsernsErrorCategory.ObjectNotFound, "text");""",
        });
        Assert.Equal(
            new[] { "BackupNotFound", "DenialLogNotFound", "DenialLogNotReadable", "LogNotFound", "LogNotReadable", "ProgramNotFound", "UnknownUser" },
            emitted.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The error ids the sources emit: the string before the category of a UsernsException (also a target-typed
    /// new(...)) or of an ErrorRecord, and the id of a denial log notice.
    /// </summary>
    private static HashSet<string> ErrorIdsIn(IEnumerable<string> sources)
    {
        var patterns = new[]
        {
            @"UsernsException\(\s*""(?<id>[A-Za-z]+)""",
            @"""(?<id>[A-Za-z]+)"",\s*UsernsErrorCategory\.",
            @"""(?<id>[A-Za-z]+)"",\s*ErrorCategory\.",
            @"DenialSourceNotice\([^,]+,\s*[\w.]+,\s*""(?<id>[A-Za-z]+)""",
            @"\?\s*""(?<id>[A-Za-z]+)""\s*:\s*""(?<id2>[A-Za-z]+)"",\s*[^,;]*UsernsErrorCategory",
        };
        var ids = new HashSet<string>(StringComparer.Ordinal);

        // Ids kept as constants of an *ErrorIds class are thrown by name: UsernsException(SandboxErrorIds.ProgramNotFound, ...).
        var constants = sources
            .SelectMany(source => System.Text.RegularExpressions.Regex.Matches(source, @"const string (?<name>\w+) = ""(?<id>[A-Za-z]+)"";").Cast<System.Text.RegularExpressions.Match>())
            .GroupBy(m => m.Groups["name"].Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Groups["id"].Value, StringComparer.Ordinal);
        foreach (var source in sources)
        {
            foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(source, @"UsernsException\(\s*\w*ErrorIds\.(?<name>\w+),"))
            {
                if (constants.TryGetValue(match.Groups["name"].Value, out var id))
                {
                    ids.Add(id);
                }
            }
        }

        foreach (var source in sources)
        {
            foreach (var pattern in patterns)
            {
                foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(source, pattern, System.Text.RegularExpressions.RegexOptions.Singleline))
                {
                    ids.Add(match.Groups["id"].Value);
                    if (match.Groups["id2"].Success)
                    {
                        ids.Add(match.Groups["id2"].Value);
                    }
                }
            }
        }

        return ids;
    }
}
