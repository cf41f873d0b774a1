using System.Text.RegularExpressions;
using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>The module manifest, read as text (no pwsh here): what PowerShellGet and Import-Module rely on.</summary>
public class ManifestTests
{
    private static string Manifest => RepositoryLayout.ManifestText;

    private static string? Scalar(string key) =>
        Regex.Match(Manifest, $@"(?m)^\s*{key}\s*=\s*'(?<v>[^']*)'") is { Success: true } m ? m.Groups["v"].Value : null;

    private static List<string>? List(string key)
    {
        var match = Regex.Match(Manifest, $@"(?ms)^\s*{key}\s*=\s*@\((?<items>[^)]*)\)");
        return match.Success
            ? Regex.Matches(match.Groups["items"].Value, "'(?<i>[^']*)'").Select(m => m.Groups["i"].Value).ToList()
            : null;
    }

    [Fact]
    public void CmdletsToExportIsExactlyTheCmdletsOfTheAssembly()
    {
        var exported = List("CmdletsToExport");
        Assert.NotNull(exported);
        Assert.DoesNotContain(exported, e => e.Contains('*', StringComparison.Ordinal));
        Assert.Equal(ModuleAssembly.Cmdlets.Select(c => c.Name).Order(StringComparer.Ordinal), exported.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("FunctionsToExport")]
    [InlineData("AliasesToExport")]
    [InlineData("VariablesToExport")]
    public void NothingElseIsExported(string key)
    {
        Assert.Equal(new List<string>(), List(key));
    }

    [Fact]
    public void RequiresPowerShell74OnCore()
    {
        Assert.Equal("7.4", Scalar("PowerShellVersion"));
        Assert.Equal(new List<string> { "Core" }, List("CompatiblePSEditions"));
        Assert.Equal("UsernsTools.dll", Scalar("RootModule"));
    }

    [Fact]
    public void VersionIsSemantic()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+$", Scalar("ModuleVersion"));
        Assert.Equal(RepositoryLayout.Version, Scalar("ModuleVersion"));
    }

    [Fact]
    public void FormatsToProcessNamesTheShippedFormatFile()
    {
        var formats = List("FormatsToProcess");
        Assert.Equal(new List<string> { "UsernsTools.Format.ps1xml" }, formats);
        Assert.True(File.Exists(Path.Combine(RepositoryLayout.ModuleDirectory, formats![0])));
    }

    [Fact]
    public void TypesToProcessKeepsStatusDetailsThroughRemoting()
    {
        var types = List("TypesToProcess");
        Assert.Equal(new List<string> { "UsernsTools.Types.ps1xml" }, types);
        var document = System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryLayout.ModuleDirectory, types![0]));
        var status = document.Root!.Elements("Type").Single(t => t.Element("Name")!.Value == "UsernsTools.Diagnosis.UsernsStatus");
        var depth = status.Descendants("NoteProperty").Single(n => n.Element("Name")!.Value == "SerializationDepth");
        Assert.True(int.Parse(depth.Element("Value")!.Value, System.Globalization.CultureInfo.InvariantCulture) >= 2);
    }

    [Fact]
    public void GalleryMetadataIsComplete()
    {
        var tags = List("Tags");
        Assert.NotNull(tags);
        Assert.Subset(tags.ToHashSet(), new HashSet<string> { "Linux", "PSEdition_Core", "namespaces", "bubblewrap", "sandbox", "security" });
        Assert.All(tags, t => Assert.DoesNotContain(' ', t));
        Assert.StartsWith("https://", Scalar("ProjectUri"));
        Assert.StartsWith("https://", Scalar("LicenseUri"));
        Assert.False(string.IsNullOrWhiteSpace(Scalar("ReleaseNotes")));
        Assert.False(string.IsNullOrWhiteSpace(Scalar("Description")));
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", Scalar("GUID"));
    }

    [Fact]
    public void HelpInfoUriNamesWhereTheHelpLives()
    {
        Assert.StartsWith("https://", Scalar("HelpInfoURI"));
    }

    [Fact]
    public void TheBuiltFolderCarriesTheRootManifestAndItsVersion()
    {
        var built = File.ReadAllText(Path.Combine(RepositoryLayout.ModuleDirectory, "UsernsTools.psd1"));
        Assert.Equal(Manifest, built);
        var version = ModuleAssembly.Module.GetName().Version!;
        Assert.Equal(RepositoryLayout.Version, $"{version.Major}.{version.Minor}.{version.Build}");
    }

    [Fact]
    public void TheBuiltFolderHasWhatPwshLoads()
    {
        var directory = RepositoryLayout.ModuleDirectory;
        foreach (var file in new[]
        {
            "UsernsTools.dll", "UsernsTools.Core.dll", "net10.0/UsernsTools.Core.dll", "UsernsTools.Loader.dll", "Mono.Unix.dll",
            "UsernsTools.Format.ps1xml", "UsernsTools.Types.ps1xml",
            "en-US/UsernsTools.dll-Help.xml", "en-US/about_UsernsTools.help.txt",
            "linux-x64/libMono.Unix.so", "linux-arm64/libMono.Unix.so",
        })
        {
            Assert.True(File.Exists(Path.Combine(directory, file)), $"missing {file} in {directory}");
        }

        // pwsh supplies System.Management.Automation; a copy in the module would be a reference assembly that cannot run.
        Assert.False(File.Exists(Path.Combine(directory, "System.Management.Automation.dll")));
        Assert.False(Directory.Exists(Path.Combine(directory, "runtimes")), "runtimes/ is the deps.json layout, which pwsh does not read.");
    }

    [Fact]
    public void NativeHelpersAreForTheirArchitecture()
    {
        // ELF e_machine: 0x3E x86-64, 0xB7 AArch64. A swapped copy would load nowhere.
        static int Machine(string path) => BitConverter.ToUInt16(File.ReadAllBytes(path), 18);
        var directory = RepositoryLayout.ModuleDirectory;
        Assert.Equal(0x3E, Machine(Path.Combine(directory, "linux-x64", "libMono.Unix.so")));
        Assert.Equal(0xB7, Machine(Path.Combine(directory, "linux-arm64", "libMono.Unix.so")));
    }
}
