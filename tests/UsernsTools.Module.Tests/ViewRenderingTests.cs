using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>
/// Every view of UsernsTools.Format.ps1xml rendered in a real runspace, as a user sees it at 120 and at 80 columns,
/// for live objects and for the same objects after Export-Clixml/Import-Clixml and after the depth-1 serialization
/// of jobs and remoting.
/// </summary>
public sealed partial class ViewRenderingTests : IDisposable
{
    private readonly ModuleRunspace _pwsh = new();

    public void Dispose() => _pwsh.Dispose();

    private static IEnumerable<XElement> Views =>
        XDocument.Load(Path.Combine(RepositoryLayout.ModuleDirectory, "UsernsTools.Format.ps1xml")).Root!.Element("ViewDefinitions")!.Elements("View");

    private static string TypeOf(XElement view) =>
        view.Element("ViewSelectedBy")!.Elements("TypeName").Select(t => t.Value).Single(t => !t.StartsWith("Deserialized.", StringComparison.Ordinal));

    public static TheoryData<string, string, string> AllViews()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var view in Views)
        {
            data.Add(view.Element("Name")!.Value, TypeOf(view), view.Element("TableControl") is null ? "List" : "Table");
        }

        return data;
    }

    public static TheoryData<string, string> TableViews()
    {
        var data = new TheoryData<string, string>();
        foreach (var view in Views.Where(v => v.Element("TableControl") is not null))
        {
            data.Add(view.Element("Name")!.Value, TypeOf(view));
        }

        return data;
    }

    public static TheoryData<string, string, string> ListViews()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var view in Views.Where(v => v.Element("ListControl") is not null))
        {
            // The property each item shows: its PropertyName, or the first $_.Name its script block reads.
            var properties = view.Descendants("ListItem").Select(i => i.Element("PropertyName")?.Value
                ?? DollarUnderscoreProperty().Match(i.Element("ScriptBlock")!.Value).Groups[1].Value);
            data.Add(view.Element("Name")!.Value, TypeOf(view), string.Join(",", properties));
        }

        return data;
    }

    /// <summary>The sample objects of the type, live, after Export-Clixml/Import-Clixml, and after a depth-1 round trip (Start-Job, Invoke-Command).</summary>
    private const string Sets = """
        $objects = @($samples[$type])
        if ($objects.Count -eq 0) { throw "no sample objects for $type" }
        $file = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-views-$([guid]::NewGuid()).xml"
        try { $objects | Export-Clixml -LiteralPath $file; $fromFile = @(Import-Clixml -LiteralPath $file) } finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
        $fromJob = @($objects | ForEach-Object { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($_, 1)) })
        $sets = [ordered]@{ live = $objects; 'Export-Clixml' = $fromFile; 'depth 1' = $fromJob }

        """;

    private sealed record Rendering(string Set, int Width, int Count, string TypeName, string Text);

    private List<Rendering> Render(string view, string type, string control)
    {
        var script = ViewSamples.Script + Sets + """
            foreach ($set in $sets.Keys) {
                foreach ($width in 120, 80) {
                    $text = if ($control -eq 'Table') { $sets[$set] | Format-Table -View $view -DisplayError | Out-String -Width $width }
                            else { $sets[$set] | Format-List -View $view -DisplayError | Out-String -Width $width }
                    [pscustomobject]@{ Set = $set; Width = $width; Count = $sets[$set].Count; TypeName = $sets[$set][0].pstypenames[0]; Text = $text }
                }
            }
            """;
        var (output, errors) = _pwsh.Run(script, new Dictionary<string, object?> { ["view"] = view, ["type"] = type, ["control"] = control });
        Assert.Empty(errors);
        return output.Select(o => new Rendering(
            ModuleRunspace.Property<string>(o, "Set"), ModuleRunspace.Property<int>(o, "Width"), ModuleRunspace.Property<int>(o, "Count"),
            ModuleRunspace.Property<string>(o, "TypeName"), ModuleRunspace.Property<string>(o, "Text"))).ToList();
    }

    private static string[] Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r', ' ')).Where(l => l.Length > 0).ToArray();

    [Theory]
    [MemberData(nameof(AllViews))]
    public void EveryViewRendersLiveAndDeserializedWithoutErrors(string view, string type, string control)
    {
        var renderings = Render(view, type, control);

        Assert.Equal(6, renderings.Count);
        foreach (var r in renderings)
        {
            Assert.True(r.Text.Trim().Length > 0, $"{view} ({r.Set}, {r.Width}): nothing rendered");
            Assert.DoesNotContain("#ERR", r.Text, StringComparison.Ordinal);
            Assert.Equal(r.Set == "live" ? type : "Deserialized." + type, r.TypeName);
        }
    }

    [Theory]
    [MemberData(nameof(TableViews))]
    public void TablesShowOneLinePerObjectAtAnyWidth(string view, string type)
    {
        // A wrapped cell is cut at the column's width, mid-word (BwrapUidMapDeni/ed): tables cut long text with an
        // ellipsis at the end of the line instead, and every object keeps one line, settings and denials included.
        foreach (var r in Render(view, type, "Table"))
        {
            Assert.True(Lines(r.Text).Length == r.Count + 2, $"{view} ({r.Set}, {r.Width}): {r.Count} objects in\n{r.Text}");
        }
    }

    [Theory]
    [MemberData(nameof(ListViews))]
    public void ListViewsBreakLinesOnlyBetweenWords(string view, string type, string properties)
    {
        // Every word of the text a list view shows is still whole in what it renders, at 120 and at 80 columns.
        // Words longer than 40 characters (paths of the checkout) are left out: no width keeps them whole at 80.
        var script = ViewSamples.Script + Sets + """
            foreach ($width in 120, 80) {
                foreach ($set in $sets.Keys) {
                    $rendered = [System.Collections.Generic.HashSet[string]]::new([string[]](-split ($sets[$set] | Format-List -View $view | Out-String -Width $width)))
                    foreach ($o in $sets[$set]) {
                        foreach ($p in $properties.Split(',')) {
                            $value = $o.$p
                            $texts = if ($value -is [string]) { , $value } elseif ($value -is [System.Collections.IEnumerable] -and @($value).Where({ $_ -is [string] }).Count -eq @($value).Count) { @($value) } else { @() }
                            foreach ($word in -split ($texts -join ' ')) {
                                if ($word -and $word.Length -le 40 -and -not $rendered.Contains($word)) { "$set at ${width}: '$word' of $p is split" }
                            }
                        }
                    }
                }
            }
            """;
        var (output, errors) = _pwsh.Run(script, new Dictionary<string, object?> { ["view"] = view, ["type"] = type, ["properties"] = properties });
        Assert.Empty(errors);
        Assert.Empty(output.Select(o => o.ToString()).Distinct().Take(20));
    }

    [Fact]
    public void StatusTableLeadsWithVerdictAndWholeFindingIdsAndCountsTheRest()
    {
        const string NotProbed = "(unprobed)";
        var (output, errors) = _pwsh.Run(ViewSamples.Script + """
            $statuses | Out-String -Width 120
            $statuses | ForEach-Object { '{0}|{1}' -f $_.Probed, ($_.Findings.Id -join ',') }
            """);
        Assert.Empty(errors);
        var lines = Lines(output[0].ToString());
        var ids = output.Skip(1).Select(o => o.ToString()).ToList();
        Assert.Matches(@"^Verdict\s+Findings\s", lines[0]);
        var findingsColumn = lines[0].IndexOf("Findings", StringComparison.Ordinal);
        var userColumn = lines[0].IndexOf("User", StringComparison.Ordinal);
        Assert.Equal(ids.Count, lines.Length - 2);
        for (var i = 0; i < ids.Count; i++)
        {
            var (probed, list) = (ids[i].Split('|')[0] == "True", ids[i].Split('|')[1]);
            var all = list.Length == 0 ? Array.Empty<string>() : list.Split(',');
            var cell = lines[i + 2][findingsColumn..userColumn].Trim();

            // A status that rests on settings alone says so before its findings.
            Assert.Equal(!probed, cell.StartsWith(NotProbed, StringComparison.Ordinal));
            cell = cell.StartsWith(NotProbed, StringComparison.Ordinal) ? cell[NotProbed.Length..].TrimStart(',', ' ') : cell;
            var more = MoreFindings().Match(cell);
            var shown = (more.Success ? cell[..more.Index] : cell).Split(", ", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(all.Take(shown.Length), shown);
            Assert.Equal(all.Length - shown.Length, more.Success ? int.Parse(more.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
        }
    }

    [Fact]
    public void ChangeTableShowsTheValuesBeforeAndAfter()
    {
        var text = _pwsh.Text(ViewSamples.Script + "$samples['UsernsTools.Configuration.UsernsChange'] | Out-String -Width 120");

        Assert.Matches(@"(?m)^Status\s+Kind\s+Before\s+After\s+Target\s*$", text);
        Assert.Matches(@"(?m)^Applied\s+RuntimeSetting\s+63382\s+0\s+/proc/sys/user/max_user_namespaces\s*$", text);
        Assert.Matches(@"(?m)^Applied\s+SysctlDropIn\s+\(none\)\s+0\s+/etc/sysctl.d/99-zz-usernstools.conf\s*$", text);
        Assert.Matches(@"(?m)^Applied\s+FileRestore\s+\(text\)\s+\(none\)\s+/etc/sysctl.d/99-zz-usernstools.conf\s*$", text);
    }

    [Theory]
    [InlineData("UsernsTools.Diagnosis.UsernsStatus")]
    [InlineData("UsernsTools.Diagnosis.UsernsFinding")]
    [InlineData("UsernsTools.Facts.UsernsSetting")]
    [InlineData("UsernsTools.Probes.UsernsProbeResult")]
    [InlineData("UsernsTools.Facts.Denials.UsernsDenial")]
    [InlineData("UsernsTools.Configuration.UsernsChange")]
    [InlineData("UsernsTools.Sandbox.NamespacedProcessResult")]
    public void FormatListUsesAListViewAlsoWhenDeserialized(string type)
    {
        var (output, errors) = _pwsh.Run("""
            foreach ($name in $type, "Deserialized.$type") {
                "$name " + ((Get-FormatData -TypeName $name).FormatViewDefinition.Control | ForEach-Object { $_.GetType().Name }) -join ','
            }
            """, new Dictionary<string, object?> { ["type"] = type });
        Assert.Empty(errors);
        Assert.Equal(2, output.Count);
        Assert.All(output, o => Assert.Contains("ListControl", o.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void TheRenderedExamplesInDocsViewsAreCurrent()
    {
        var expected = Path.Combine(RepositoryLayout.Root, "docs", "views");
        var actual = Directory.CreateTempSubdirectory("usernstools-views-").FullName;
        try
        {
            var script = Path.Combine(RepositoryLayout.Root, "tools", "render-views.ps1");
            var (_, errors) = _pwsh.Run($"& '{script}' -OutputDirectory '{actual}' -ModulePath '{Path.Combine(RepositoryLayout.ModuleDirectory, "UsernsTools.psd1")}'");
            Assert.Empty(errors);
            var names = Directory.GetFiles(actual).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(names, Directory.GetFiles(expected).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList());
            // One example per view: UsernsStatus.table.txt for the table view UsernsStatus, UsernsStatus.list.txt for UsernsStatusList.
            foreach (var view in Views)
            {
                var name = view.Element("Name")!.Value;
                Assert.Contains(view.Element("TableControl") is not null ? name + ".table.txt" : name[..^"List".Length] + ".list.txt", names);
            }

            foreach (var name in names)
            {
                Assert.True(
                    File.ReadAllText(Path.Combine(expected, name!)) == File.ReadAllText(Path.Combine(actual, name!)),
                    $"docs/views/{name} is not what the views render now: run `dotnet pwsh tools/render-views.ps1` and commit docs/views.");
            }
        }
        finally
        {
            Directory.Delete(actual, recursive: true);
        }
    }

    [GeneratedRegex(@"\$_\.([A-Za-z]+)")]
    private static partial Regex DollarUnderscoreProperty();

    [GeneratedRegex(@",? \+(\d+) more$")]
    private static partial Regex MoreFindings();
}
