namespace UsernsTools.HelpGen;

/// <summary>Builds the files of a module's en-US folder from its docs folder.</summary>
public static class HelpBuilder
{
    public const string MamlFileName = "UsernsTools.dll-Help.xml";

    /// <summary>Output file name to content, for every file the docs folder produces.</summary>
    public static IReadOnlyDictionary<string, string> Build(string docsDirectory)
    {
        ArgumentNullException.ThrowIfNull(docsDirectory);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var commands = new List<CommandHelp>();
        foreach (var path in Directory.GetFiles(docsDirectory, "*.md").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name.StartsWith("about_", StringComparison.Ordinal))
            {
                files[name + ".help.txt"] = AboutTopicWriter.Write(File.ReadAllText(path));
            }
            else
            {
                commands.Add(MarkdownHelpReader.ReadFile(path));
            }
        }

        files[MamlFileName] = MamlWriter.Write(commands);
        return files;
    }

    /// <summary>Writes <see cref="Build"/>'s files into <paramref name="outputDirectory"/>.</summary>
    public static void Write(string docsDirectory, string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        foreach (var (name, content) in Build(docsDirectory))
        {
            File.WriteAllText(Path.Combine(outputDirectory, name), content);
        }
    }
}
