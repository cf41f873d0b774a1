using System.Globalization;
using System.Text;
using System.Xml;

namespace UsernsTools.HelpGen;

/// <summary>
/// Writes commands as PowerShell MAML, element for element as platyPS v2's Export-MamlCommandHelp does
/// (helpItems/command:command with details, description, syntax, parameters, inputTypes, returnValues,
/// alertSet, examples, relatedLinks), plus dev:defaultValue, which Get-Help shows as "Default value".
/// </summary>
public static class MamlWriter
{
    public const string MshNamespace = "http://msh";
    public const string MamlNamespace = "http://schemas.microsoft.com/maml/2004/10";
    public const string CommandNamespace = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public const string DevNamespace = "http://schemas.microsoft.com/maml/dev/2004/10";
    public const string MSHelpNamespace = "http://msdn.microsoft.com/mshelp";

    public static string Write(IEnumerable<CommandHelp> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var settings = new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            Encoding = new UTF8Encoding(false),
        };
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("helpItems", MshNamespace);
            xml.WriteAttributeString("schema", "maml");
            foreach (var command in commands.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                WriteCommand(xml, command);
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteCommand(XmlWriter xml, CommandHelp help)
    {
        xml.WriteStartElement("command", "command", CommandNamespace);
        xml.WriteAttributeString("xmlns", "maml", null, MamlNamespace);
        xml.WriteAttributeString("xmlns", "command", null, CommandNamespace);
        xml.WriteAttributeString("xmlns", "dev", null, DevNamespace);
        xml.WriteAttributeString("xmlns", "MSHelp", null, MSHelpNamespace);

        xml.WriteStartElement("command", "details", CommandNamespace);
        xml.WriteElementString("command", "name", CommandNamespace, help.Name);
        Paragraphs(xml, "maml", "description", MamlNamespace, new[] { help.Synopsis });
        xml.WriteElementString("command", "verb", CommandNamespace, help.Verb);
        xml.WriteElementString("command", "noun", CommandNamespace, help.Noun);
        xml.WriteEndElement();

        Paragraphs(xml, "maml", "description", MamlNamespace, help.Description);

        xml.WriteStartElement("command", "syntax", CommandNamespace);
        foreach (var (setName, _) in help.Syntax)
        {
            xml.WriteStartElement("command", "syntaxItem", CommandNamespace);
            xml.WriteElementString("maml", "name", MamlNamespace, help.Name);
            foreach (var (parameter, set) in SyntaxParameters(help, setName))
            {
                WriteParameter(xml, parameter, set.IsRequired, set.Position, set.ValueFromPipeline, set.ValueFromPipelineByPropertyName);
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();

        xml.WriteStartElement("command", "parameters", CommandNamespace);
        foreach (var parameter in help.Parameters.Where(p => !p.DontShow))
        {
            var first = parameter.ParameterSets.FirstOrDefault() ?? new ParameterSetHelp();
            WriteParameter(
                xml,
                parameter,
                parameter.ParameterSets.Any(s => s.IsRequired),
                first.Position,
                parameter.ParameterSets.Any(s => s.ValueFromPipeline),
                parameter.ParameterSets.Any(s => s.ValueFromPipelineByPropertyName));
        }

        xml.WriteEndElement();

        TypeList(xml, "inputTypes", "inputType", help.Inputs);
        TypeList(xml, "returnValues", "returnValue", help.Outputs);

        xml.WriteStartElement("maml", "alertSet", MamlNamespace);
        if (help.Notes.Count > 0)
        {
            xml.WriteStartElement("maml", "alert", MamlNamespace);
            foreach (var note in help.Notes)
            {
                xml.WriteElementString("maml", "para", MamlNamespace, note);
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();

        xml.WriteStartElement("command", "examples", CommandNamespace);
        foreach (var example in help.Examples)
        {
            xml.WriteStartElement("command", "example", CommandNamespace);
            xml.WriteElementString("maml", "title", MamlNamespace, $"--------- {example.Title} ---------");
            Paragraphs(xml, "maml", "introduction", MamlNamespace, Array.Empty<string>());
            xml.WriteElementString("dev", "code", DevNamespace, string.Join("\n\n", example.Code));
            Paragraphs(xml, "dev", "remarks", DevNamespace, example.Remarks);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();

        xml.WriteStartElement("command", "relatedLinks", CommandNamespace);
        var links = new List<LinkHelp>();
        if (help.Metadata.TryGetValue("HelpUri", out var helpUri) && helpUri.Length > 0)
        {
            links.Add(new LinkHelp { Text = "Online Version", Uri = helpUri });
        }

        links.AddRange(help.RelatedLinks.Where(l => !string.Equals(l.Uri, helpUri, StringComparison.Ordinal)));
        foreach (var link in links)
        {
            xml.WriteStartElement("maml", "navigationLink", MamlNamespace);
            xml.WriteElementString("maml", "linkText", MamlNamespace, link.Text);
            // Get-Help resolves a link to a sibling topic by its text; only web addresses are addresses.
            xml.WriteElementString("maml", "uri", MamlNamespace, link.Uri.StartsWith("http", StringComparison.Ordinal) ? link.Uri : "");
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    /// <summary>The parameters of one syntax line: positional ones by position, then mandatory, then the rest, as Get-Command shows them.</summary>
    private static IEnumerable<(ParameterHelp Parameter, ParameterSetHelp Set)> SyntaxParameters(CommandHelp help, string setName)
    {
        var all = setName is "__AllParameterSets" or ParameterSetHelp.AllSets;
        var chosen = new List<(ParameterHelp, ParameterSetHelp, int Order)>();
        var index = 0;
        foreach (var parameter in help.Parameters.Where(p => !p.DontShow))
        {
            var set = parameter.ParameterSets.FirstOrDefault(s => all || s.Name == setName || s.Name == ParameterSetHelp.AllSets);
            if (set is not null)
            {
                chosen.Add((parameter, set, index++));
            }
        }

        return chosen
            .OrderBy(c => int.TryParse(c.Item2.Position, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : int.MaxValue)
            .ThenBy(c => c.Item2.IsRequired ? 0 : 1)
            .ThenBy(c => ShouldProcessRank(c.Item1.Name))
            .ThenBy(c => c.Order)
            .Select(c => (c.Item1, c.Item2));
    }

    /// <summary>-WhatIf then -Confirm close a syntax line, after the cmdlet's own parameters, as Get-Command shows them.</summary>
    private static int ShouldProcessRank(string name) => name switch
    {
        "WhatIf" => 1,
        "Confirm" => 2,
        _ => 0,
    };

    private static void WriteParameter(XmlWriter xml, ParameterHelp parameter, bool required, string position, bool byValue, bool byPropertyName)
    {
        xml.WriteStartElement("command", "parameter", CommandNamespace);
        xml.WriteAttributeString("required", Bool(required));
        xml.WriteAttributeString("variableLength", Bool(parameter.Type.EndsWith("[]", StringComparison.Ordinal)));
        xml.WriteAttributeString("globbing", Bool(parameter.SupportsWildcards));
        xml.WriteAttributeString("pipelineInput", (byValue, byPropertyName) switch
        {
            (true, true) => "true (ByValue, ByPropertyName)",
            (true, false) => "true (ByValue)",
            (false, true) => "true (ByPropertyName)",
            _ => "false",
        });
        xml.WriteAttributeString("position", string.Equals(position, "Named", StringComparison.OrdinalIgnoreCase) ? "named" : position);
        xml.WriteAttributeString("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases));
        xml.WriteElementString("maml", "name", MamlNamespace, parameter.Name);
        Paragraphs(xml, "maml", "description", MamlNamespace, parameter.Description);
        if (parameter.AcceptedValues.Count > 0)
        {
            xml.WriteStartElement("command", "parameterValueGroup", CommandNamespace);
            foreach (var value in parameter.AcceptedValues)
            {
                ParameterValue(xml, value, false);
            }

            xml.WriteEndElement();
        }

        if (!parameter.IsSwitch)
        {
            ParameterValue(xml, parameter.Type, parameter.Type.EndsWith("[]", StringComparison.Ordinal));
        }

        xml.WriteStartElement("dev", "type", DevNamespace);
        xml.WriteElementString("dev", "name", DevNamespace, parameter.Type);
        xml.WriteEndElement();
        xml.WriteElementString("dev", "defaultValue", DevNamespace, parameter.DefaultValue.Length == 0 ? "None" : parameter.DefaultValue);
        xml.WriteEndElement();
    }

    private static void ParameterValue(XmlWriter xml, string value, bool variableLength)
    {
        xml.WriteStartElement("command", "parameterValue", CommandNamespace);
        xml.WriteAttributeString("required", "true");
        xml.WriteAttributeString("variableLength", Bool(variableLength));
        xml.WriteString(value);
        xml.WriteEndElement();
    }

    private static void TypeList(XmlWriter xml, string listName, string itemName, List<TypeHelp> types)
    {
        xml.WriteStartElement("command", listName, CommandNamespace);
        foreach (var type in types)
        {
            xml.WriteStartElement("command", itemName, CommandNamespace);
            xml.WriteStartElement("dev", "type", DevNamespace);
            xml.WriteElementString("dev", "name", DevNamespace, type.Type);
            xml.WriteEndElement();
            Paragraphs(xml, "maml", "description", MamlNamespace, type.Description);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void Paragraphs(XmlWriter xml, string prefix, string name, string ns, IEnumerable<string> paragraphs)
    {
        xml.WriteStartElement(prefix, name, ns);
        foreach (var paragraph in paragraphs)
        {
            xml.WriteElementString("maml", "para", MamlNamespace, paragraph);
        }

        xml.WriteEndElement();
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
