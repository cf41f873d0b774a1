using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace UsernsTools.HelpGen;

/// <summary>Reads a platyPS (schema 2024-05-01) cmdlet markdown file into a <see cref="CommandHelp"/>.</summary>
public static partial class MarkdownHelpReader
{
    private const string DefaultMarker = " (Default)";

    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    public static CommandHelp ReadFile(string path) => Read(File.ReadAllText(path), path);

    public static CommandHelp Read(string markdown, string source)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        markdown = markdown.Replace("\r\n", "\n", StringComparison.Ordinal);
        var document = Markdown.Parse(markdown, s_pipeline);
        var help = new CommandHelp();
        var section = "";
        string? syntaxSet = null;
        ExampleHelp? example = null;
        ParameterHelp? parameter = null;
        TypeHelp? typeHelp = null;

        foreach (var block in document)
        {
            var raw = markdown.Substring(block.Span.Start, block.Span.Length);
            switch (block)
            {
                case YamlFrontMatterBlock:
                    foreach (var (key, value) in HelpYaml.FrontMatter(raw.Trim().Trim('-')))
                    {
                        help.Metadata[key] = value;
                    }

                    break;

                case HeadingBlock heading:
                    var title = raw.TrimStart('#').Trim();
                    if (heading.Level == 1)
                    {
                        help.Name = title;
                    }
                    else if (heading.Level == 2)
                    {
                        section = title.ToUpperInvariant();
                        syntaxSet = null;
                        example = null;
                        parameter = null;
                        typeHelp = null;
                    }
                    else if (heading.Level == 3)
                    {
                        switch (section)
                        {
                            case "SYNTAX":
                                // platyPS marks the default set in the heading: "### Live (Default)".
                                syntaxSet = title.EndsWith(DefaultMarker, StringComparison.Ordinal) ? title[..^DefaultMarker.Length] : title;
                                break;
                            case "EXAMPLES":
                                example = new ExampleHelp { Title = title };
                                help.Examples.Add(example);
                                break;
                            case "PARAMETERS" when title == "CommonParameters":
                                help.HasCommonParameters = true;
                                parameter = null;
                                break;
                            case "PARAMETERS":
                                parameter = new ParameterHelp { Name = title.TrimStart('-') };
                                help.Parameters.Add(parameter);
                                break;
                            case "INPUTS":
                            case "OUTPUTS":
                                typeHelp = new TypeHelp { Type = title };
                                (section == "INPUTS" ? help.Inputs : help.Outputs).Add(typeHelp);
                                break;
                            default:
                                throw new FormatException($"{source}: unexpected heading '### {title}' in section {section}.");
                        }
                    }

                    break;

                case FencedCodeBlock code:
                    var content = code.Lines.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
                    var info = (code.Info ?? "").Trim().ToLowerInvariant();
                    if (section == "SYNTAX" && syntaxSet is not null)
                    {
                        help.Syntax.Add(new KeyValuePair<string, string>(syntaxSet, content));
                    }
                    else if (section == "EXAMPLES" && example is not null)
                    {
                        if (info is "powershell" or "pwsh" or "ps1" or "")
                        {
                            example.Code.Add(content);
                        }
                        else
                        {
                            example.Remarks.Add(content);
                        }
                    }
                    else if (section == "PARAMETERS" && parameter is not null && info == "yaml")
                    {
                        ApplyYaml(parameter, HelpYaml.Parameter(content), source);
                    }
                    else
                    {
                        AddText(help, section, example, parameter, typeHelp, content);
                    }

                    break;

                case ListBlock list when section == "RELATED LINKS":
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var itemText = markdown.Substring(item.Span.Start, item.Span.Length);
                        var match = LinkPattern().Match(itemText);
                        if (match.Success)
                        {
                            help.RelatedLinks.Add(new LinkHelp { Text = match.Groups["text"].Value, Uri = match.Groups["uri"].Value });
                        }
                        else
                        {
                            help.RelatedLinks.Add(new LinkHelp { Text = itemText.TrimStart('-', '*', ' ').Trim() });
                        }
                    }

                    break;

                case ListBlock list when section == "ALIASES":
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        help.Aliases.Add(markdown.Substring(item.Span.Start, item.Span.Length).TrimStart('-', '*', ' ').Trim());
                    }

                    break;

                case ParagraphBlock:
                    AddText(help, section, example, parameter, typeHelp, JoinLines(raw));
                    break;

                default:
                    AddText(help, section, example, parameter, typeHelp, raw.TrimEnd());
                    break;
            }
        }

        if (help.Name.Length == 0)
        {
            throw new FormatException($"{source}: no '# Verb-Noun' title.");
        }

        return help;
    }

    private static void AddText(CommandHelp help, string section, ExampleHelp? example, ParameterHelp? parameter, TypeHelp? typeHelp, string text)
    {
        switch (section)
        {
            case "SYNOPSIS":
                help.Synopsis = help.Synopsis.Length == 0 ? text : help.Synopsis + " " + text;
                break;
            case "DESCRIPTION":
                help.Description.Add(text);
                break;
            case "EXAMPLES":
                example?.Remarks.Add(text);
                break;
            case "PARAMETERS":
                parameter?.Description.Add(text);
                break;
            case "INPUTS":
            case "OUTPUTS":
                typeHelp?.Description.Add(text);
                break;
            case "NOTES":
                help.Notes.Add(text);
                break;
            default:
                // ALIASES and SYNTAX prose is for the web page only; Get-Help has no place for it.
                break;
        }
    }

    private static void ApplyYaml(ParameterHelp parameter, ParameterYaml yaml, string source)
    {
        parameter.Type = yaml.Type ?? "";
        if (parameter.Type.Length == 0)
        {
            throw new FormatException($"{source}: parameter -{parameter.Name} has no Type.");
        }

        parameter.DefaultValue = yaml.DefaultValue ?? "";
        parameter.SupportsWildcards = yaml.SupportsWildcards;
        parameter.DontShow = yaml.DontShow;
        parameter.Aliases.AddRange(yaml.Aliases ?? []);
        parameter.AcceptedValues.AddRange(yaml.AcceptedValues ?? []);
        foreach (var set in yaml.ParameterSets ?? [])
        {
            parameter.ParameterSets.Add(new ParameterSetHelp
            {
                Name = set.Name ?? ParameterSetHelp.AllSets,
                Position = set.Position ?? "Named",
                IsRequired = set.IsRequired,
                ValueFromPipeline = set.ValueFromPipeline,
                ValueFromPipelineByPropertyName = set.ValueFromPipelineByPropertyName,
                ValueFromRemainingArguments = set.ValueFromRemainingArguments,
            });
        }
    }

    // platyPS joins the lines of a paragraph: MAML paragraphs are reflowed by Get-Help.
    private static string JoinLines(string raw) =>
        string.Join(' ', raw.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\((?<uri>[^)]*)\)")]
    private static partial Regex LinkPattern();
}
