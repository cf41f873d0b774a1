using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Xunit;

namespace UsernsTools.Tests.Cli;

/// <summary>
/// The UsernsTools/Setting DSC resource driven as Microsoft DSC drives it, through the built command on a temporary
/// root: every stdout line is held to the manifest's instance schema (DSC validates get, test and set output) and to
/// DSC's stdout contract for the operation; failures exit with a code the manifest declares and say why in a
/// <c>{"error": "..."}</c> line on stderr, which DSC logs.
/// </summary>
public sealed class DscProtocolTests : IDisposable
{
    private const string Max = "user.max_user_namespaces";
    private const string Desired = """{"name":"user.max_user_namespaces","value":15000}""";
    private static readonly string[] s_nobody = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups" };
    private static readonly JsonElement s_manifest = DscManifest.Root;

    private readonly string _root = Directory.CreateTempSubdirectory("usernstools-dsc-").FullName;

    public DscProtocolTests()
    {
        Proc(Max, "0");
        Directory.CreateDirectory(_root + "/etc/sysctl.d");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void GetTestWhatIfSetTestExportFollowTheProtocol()
    {
        var get = Operation("get", """{"name":"user.max_user_namespaces"}""");
        Assert.Equal("0", get.State["runtimeValue"]!.GetValue<string>());

        var test = Operation("test", Desired);
        Assert.False(test.State["_inDesiredState"]!.GetValue<bool>());
        Assert.Equal(new[] { "value", "runtimeValue", "persistedValue" }, test.Diff);

        var before = Tree();
        var whatIf = Operation("whatIf", Desired);
        Assert.Equal(before, Tree());
        Assert.Equal("15000", whatIf.State["runtimeValue"]!.GetValue<string>());

        var set = Operation("set", Desired);
        Assert.Equal("15000", Proc(Max));
        Assert.Equal(new[] { "value", "runtimeValue", "persistedValue", "persistedSource" }, set.Diff);

        // What-if predicted exactly the state set reached, the boot file's line included.
        Assert.Equal(set.State.ToJsonString(), whatIf.State.ToJsonString());
        Assert.Matches(@"^/etc/sysctl\.d/99-zz-usernstools\.conf:\d+$", set.State["persistedSource"]!.GetValue<string>());

        var again = Operation("test", Desired);
        Assert.True(again.State["_inDesiredState"]!.GetValue<bool>());
        Assert.Empty(again.Diff!);

        // implementsPretest: a set already in the desired state writes nothing and reports no change.
        var settled = Tree();
        Assert.Empty(Operation("set", Desired).Diff!);
        Assert.Empty(Operation("whatIf", Desired).Diff!);
        Assert.Equal(settled, Tree());

        var export = Run("export", "");
        Assert.Equal(0, export.ExitCode);
        var lines = export.Stdout.TrimEnd('\n').Split('\n');
        var exported = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        foreach (var line in lines)
        {
            AssertValidInstance(line);
        }

        var max = Assert.Single(exported, e => e["name"]!.GetValue<string>() == Max);
        Assert.Equal("15000", max["value"]!.GetValue<string>());

        // An exported instance is a desired state this machine is in.
        Assert.True(Operation("test", max.ToJsonString()).State["_inDesiredState"]!.GetValue<bool>());
    }

    [Fact]
    public void ValuesComeBackInTheTypeTheyWereGiven()
    {
        Assert.Equal(JsonValueKind.Number, Operation("test", Desired).State["value"]!.GetValueKind());
        Assert.Equal(JsonValueKind.String, Operation("test", """{"name":"user.max_user_namespaces","value":"15000"}""").State["value"]!.GetValueKind());
        Assert.Equal(JsonValueKind.Number, Operation("set", Desired).State["value"]!.GetValueKind());
    }

    [Fact]
    public void OnlyTheBootValueWrongIsNamedAsTheDifference()
    {
        Proc(Max, "15000");

        var test = Operation("test", Desired);

        Assert.False(test.State["_inDesiredState"]!.GetValue<bool>());
        Assert.Equal(new[] { "value", "persistedValue" }, test.Diff);
        Assert.NotEqual(15000, test.State["value"]?.GetValue<long>());
    }

    [Fact]
    public void ASettingThisKernelLacksStillGivesAValidInstance()
    {
        // kernel.unprivileged_userns_clone exists only on Debian and Ubuntu kernels: here it has no file below the root.
        var get = Operation("get", """{"name":"kernel.unprivileged_userns_clone"}""");
        Assert.Null(get.State["value"]);

        var test = Operation("test", """{"name":"kernel.unprivileged_userns_clone","value":1}""");
        Assert.False(test.State["_inDesiredState"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"name":"kernel.printk","value":1}""")]
    [InlineData("""{"name":"user_namespace.enable","value":"1"}""")]
    [InlineData("""{"name":"user.max_user_namespaces","value":"-1"}""")]
    [InlineData("""{"name":"user.max_user_namespaces","value":1,"colour":"red"}""")]
    [InlineData("""{"name":"user.max_user_namespaces","value":1,"scope":"Runtime"}""")]
    [InlineData("""{"name":"user.max_user_namespaces","value":1,"scope":["runtime"]}""")]
    [InlineData("""{"name":"user.max_user_namespaces","value":1,"force":"yes"}""")]
    [InlineData("""{"name":"user.max_user_namespaces","value":1 /* comment */}""")]
    [InlineData("""{"name":"user.max_user_namespaces","value":1,}""")]
    public void InputTheSchemaRefusesIsRefusedWithTheReasonAsAnErrorLine(string input)
    {
        var before = Tree();

        var result = Run("set", input);

        Assert.Equal(ManifestExitCode("Invalid input"), result.ExitCode);
        Assert.Equal("", result.Stdout);
        AssertErrorLine(result.Stderr);
        Assert.Equal(before, Tree());
    }

    [Fact]
    public void ARootThatDoesNotExistIsAnErrorNotAnEmptyMachine()
    {
        // get exited 0 with "no value", describing a folder that is not there as the machine's state.
        var missing = _root + "/missing";
        foreach (var operation in new[] { "get", "test", "set" })
        {
            var result = Cli.RunWithInput("""{"name":"user.max_user_namespaces","value":5}""", Array.Empty<string>(), "dsc", operation, "--root", missing);
            Assert.True(result.ExitCode == ManifestExitCode("Error"), $"{operation}: exit {result.ExitCode}, {result.Stderr}");
            Assert.Equal("", result.Stdout);
            AssertErrorLine(result.Stderr);
            Assert.Contains("[RootNotFound]", result.Stderr, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void AnotherFileThatWinsAtBootIsExplainedInDscTerms()
    {
        Write("/etc/sysctl.conf", "user.max_user_namespaces = 0\n");

        var result = Run("set", Desired);

        Assert.Equal(ManifestExitCode("Error"), result.ExitCode);
        var message = AssertErrorLine(result.Stderr);
        Assert.Contains("/etc/sysctl.conf:1", message, StringComparison.Ordinal);
        Assert.Contains("\"force\": true", message, StringComparison.Ordinal);
        Assert.DoesNotContain("-Force", message, StringComparison.Ordinal);

        var forced = Operation("set", """{"name":"user.max_user_namespaces","value":15000,"force":true}""");
        Assert.Equal("15000", forced.State["runtimeValue"]!.GetValue<string>());
    }

    [KernelFact("setpriv", RequiresRoot = true)]
    public void WhatIfPredictsTheRefusalSetGivesAnUnprivilegedUser()
    {
        var before = Tree();

        var set = Run("set", Desired, s_nobody);
        var whatIf = Run("whatIf", Desired, s_nobody);

        Assert.Equal(ManifestExitCode("Permission denied: run as root"), set.ExitCode);
        Assert.Equal(set.ExitCode, whatIf.ExitCode);
        AssertErrorLine(set.Stderr);
        AssertErrorLine(whatIf.Stderr);
        Assert.Equal(before, Tree());
    }

    [Fact]
    public void TheCommandShipsWithItsManifestSoDscFindsIt()
    {
        var beside = Path.Combine(Path.GetDirectoryName(Cli.Dll)!, "usernstools.dsc.resource.json");

        Assert.True(File.Exists(beside), $"{beside} is missing: DSC finds a resource by its manifest on PATH.");
        Assert.Equal(File.ReadAllText(Path.Combine(Prerequisites.RepoRoot, "usernstools.dsc.resource.json")), File.ReadAllText(beside));
    }

    /// <summary>Runs the operation as the manifest declares it (executable, args, stdin) and checks its stdout contract.</summary>
    private (JsonObject State, string[]? Diff) Operation(string operation, string input)
    {
        var result = Run(operation, input);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stderr);

        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        var declared = s_manifest.GetProperty(operation);
        var stateAndDiff = declared.TryGetProperty("return", out var kind) && kind.GetString() == "stateAndDiff";
        Assert.Equal(stateAndDiff ? 2 : 1, lines.Length);

        // First line: the instance, an object valid against the instance schema; test's carries _inDesiredState.
        AssertValidInstance(lines[0]);
        var state = JsonNode.Parse(lines[0])!.AsObject();
        if (operation == "test")
        {
            Assert.True(state["_inDesiredState"]?.GetValueKind() is JsonValueKind.True or JsonValueKind.False, lines[0]);
        }

        string[]? diff = null;
        if (stateAndDiff)
        {
            // Second line: an array of unique property names of the instance schema.
            var array = JsonNode.Parse(lines[1])!.AsArray();
            diff = array.Select(n => n!.GetValue<string>()).ToArray();
            Assert.Equal(diff.Length, diff.Distinct().Count());
            var properties = s_manifest.GetProperty("schema").GetProperty("embedded").GetProperty("properties");
            Assert.All(diff, p => Assert.True(properties.TryGetProperty(p, out _), $"{p} is not a property of the instance schema"));
        }

        return (state, diff);
    }

    private CliResult Run(string operation, string input, IReadOnlyList<string>? wrapper = null)
    {
        var declared = s_manifest.GetProperty(operation);
        Assert.Equal("usernstools", declared.GetProperty("executable").GetString());
        Assert.Equal("stdin", declared.GetProperty("input").GetString());
        var args = declared.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).Concat(new[] { "--root", _root }).ToArray();
        return Cli.RunWithInput(input, wrapper ?? Array.Empty<string>(), args);
    }

    private static void AssertValidInstance(string line)
    {
        var result = DscManifest.InstanceSchema.Evaluate(JsonDocument.Parse(line).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"{line} fails the instance schema: {string.Join("; ", (result.Details ?? new List<EvaluationResults>()).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")))}");
    }

    /// <summary>stderr is JSON Lines DSC understands: one <c>{"error": "..."}</c> object, the reason in one line.</summary>
    private static string AssertErrorLine(string stderr)
    {
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        var error = JsonNode.Parse(line)!.AsObject();
        var message = error["error"]!.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.DoesNotContain('\n', message);
        return message;
    }

    private static int ManifestExitCode(string meaning) => DscManifest.ExitCode(meaning);

    private void Write(string machinePath, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_root + machinePath)!);
        File.WriteAllText(_root + machinePath, content);
    }

    private void Proc(string name, string value) => Write("/proc/sys/" + name.Replace('.', '/'), value + "\n");

    private string Proc(string name) => File.ReadAllText(_root + "/proc/sys/" + name.Replace('.', '/')).Trim();

    /// <summary>Every file below the root outside the journal, with its bytes.</summary>
    private SortedDictionary<string, string> Tree()
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            var machinePath = file[_root.Length..];
            if (!machinePath.StartsWith("/var/lib/usernstools", StringComparison.Ordinal))
            {
                tree[machinePath] = Convert.ToBase64String(File.ReadAllBytes(file));
            }
        }

        return tree;
    }
}
