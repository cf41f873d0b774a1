using System.Reflection;
using System.Text.RegularExpressions;

namespace UsernsTools.Module.Tests;

/// <summary>Where the repository, the built module folder and the tools are, found from the test's own location.</summary>
internal static partial class RepositoryLayout
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The folder that holds UsernsTools.sln.</summary>
    public static string Root => s_root.Value;

    public static string ManifestPath => Path.Combine(Root, "UsernsTools.psd1");

    public static string ManifestText => File.ReadAllText(ManifestPath);

    /// <summary>ModuleVersion of the root manifest, the single source of the version.</summary>
    public static string Version => VersionPattern().Match(ManifestText) is { Success: true } m
        ? m.Groups[1].Value
        : throw new InvalidOperationException("UsernsTools.psd1 has no ModuleVersion = 'x.y.z'.");

    /// <summary>out/UsernsTools/&lt;version&gt;, as tools/module-check.sh leaves it.</summary>
    public static string ModuleDirectory
    {
        get
        {
            var directory = Path.Combine(Root, "out", "UsernsTools", Version);
            if (!File.Exists(Path.Combine(directory, "UsernsTools.dll")))
            {
                throw new InvalidOperationException($"The module is not built in {directory}: run tools/module-check.sh (or dotnet publish src/UsernsTools) first.");
            }

            return directory;
        }
    }

    public static string DocsDirectory => Path.Combine(Root, "docs", "en-US");

    public static string Configuration =>
        typeof(RepositoryLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "Configuration").Value!;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "UsernsTools.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No UsernsTools.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"ModuleVersion\s*=\s*'(\d+\.\d+\.\d+)'")]
    private static partial Regex VersionPattern();
}
