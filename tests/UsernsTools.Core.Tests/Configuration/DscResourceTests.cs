using System.Text.Json;
using UsernsTools.Configuration;
using UsernsTools.Facts;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Configuration;

public class DscResourceTests
{
    private const string Max = "user.max_user_namespaces";

    [Fact]
    public void GetReportsRuntimeAndPersistedValues()
    {
        using var root = new TestRoot().WithProc(Max, "42").WithFile("/etc/sysctl.d/50-x.conf", "user.max_user_namespaces = 7\n");

        using var json = JsonDocument.Parse(DscResource.Get("{\"name\":\"user.max_user_namespaces\"}", root.Context()));

        var state = json.RootElement;
        Assert.Equal("user.max_user_namespaces", state.GetProperty("name").GetString());
        Assert.Equal("42", state.GetProperty("value").GetString());
        Assert.Equal("42", state.GetProperty("runtimeValue").GetString());
        Assert.Equal("7", state.GetProperty("persistedValue").GetString());
        Assert.Equal("/etc/sysctl.d/50-x.conf:1", state.GetProperty("persistedSource").GetString());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("_inDesiredState").ValueKind);
    }

    [Fact]
    public async Task TestThenSetThenTestAgain()
    {
        using var root = new TestRoot().WithProc(Max, "42");
        var context = root.Context();
        const string desired = "{\"name\":\"user.max_user_namespaces\",\"value\":0,\"scope\":[\"Runtime\",\"Persistent\"]}";

        var before = DscResource.Test(desired, context, out var inDesiredState);
        Assert.False(inDesiredState);
        Assert.False(State(before).GetProperty("_inDesiredState").GetBoolean());
        Assert.Equal("[\"value\",\"runtimeValue\",\"persistedValue\"]", Diff(before));

        var set = await DscResource.SetAsync(desired, context, whatIf: false, CancellationToken.None);
        var after = State(set);
        Assert.Equal(("0", "0"), (after.GetProperty("runtimeValue").GetString(), after.GetProperty("persistedValue").GetString()));

        Assert.Equal("[]", Diff(DscResource.Test(desired, context, out inDesiredState)));
        Assert.True(inDesiredState);
        Assert.Single(Remediation.GetBackups(context));
    }

    [Fact]
    public async Task WhatIfShowsTheStateItWouldReachAndWritesNothing()
    {
        using var root = new TestRoot().WithProc(Max, "42");
        var before = root.Tree();

        var json = await DscResource.SetAsync("{\"name\":\"user.max_user_namespaces\",\"value\":\"5\",\"scope\":[\"Runtime\"]}", root.Context(), whatIf: true, CancellationToken.None);

        var state = State(json);
        Assert.Equal("5", state.GetProperty("value").GetString());
        Assert.Equal("[\"value\",\"runtimeValue\"]", Diff(json));
        Assert.Equal("5", state.GetProperty("runtimeValue").GetString());
        Assert.Equal(new[] { "Runtime" }, state.GetProperty("scope").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(before, root.Tree());
    }

    [Fact]
    public void AnIntegerValueComesBackAsAnInteger()
    {
        using var root = new TestRoot().WithProc(Max, "42");

        var state = State(DscResource.Test("{\"name\":\"user.max_user_namespaces\",\"value\":42,\"scope\":[\"Runtime\"]}", root.Context(), out _));

        Assert.Equal(42, state.GetProperty("value").GetInt32());
    }

    [Fact]
    public void ASettingThisKernelLacksHasNoValueRatherThanNull()
    {
        using var root = new TestRoot().WithProc(Max, "42");

        var state = JsonDocument.Parse(DscResource.Get("{\"name\":\"kernel.unprivileged_userns_clone\"}", root.Context())).RootElement;

        Assert.False(state.TryGetProperty("value", out _));
        Assert.False(state.TryGetProperty("runtimeValue", out _));
    }

    [Fact]
    public void OutputIsOneCompactLine()
    {
        using var root = new TestRoot().WithProc(Max, "42");

        var json = DscResource.Get("{\"name\":\"user.max_user_namespaces\"}", root.Context());

        Assert.DoesNotContain('\n', json);
    }

    [Theory]
    [InlineData("not json", "InvalidDscInput")]
    [InlineData("[1]", "InvalidDscInput")]
    [InlineData("{\"value\":1}", "InvalidDscInput")]
    [InlineData("{\"name\":\"user.max_user_namespaces\",\"value\":1,\"colour\":\"red\"}", "InvalidDscInput")]
    [InlineData("{\"name\":\"user.max_user_namespaces\",\"value\":1,\"scope\":[\"Sometimes\"]}", "InvalidDscInput")]
    [InlineData("{\"name\":\"user.max_user_namespaces\",\"value\":1,\"scope\":\"Runtime\"}", "InvalidDscInput")]
    [InlineData("{\"name\":\"user.max_user_namespaces\",\"value\":1,\"scope\":[\"persistent\"]}", "InvalidDscInput")]
    [InlineData("{\"name\":\"user.max_user_namespaces\",\"value\":1,\"force\":\"yes\"}", "InvalidDscInput")]
    [InlineData("{\"name\":\"user.max_user_namespaces\",\"value\":1} // done", "InvalidDscInput")]
    [InlineData("{\"name\":\"user.max_user_namespaces\",\"value\":1,}", "InvalidDscInput")]
    [InlineData("{\"name\":\"user.max_user_namespaces\",\"value\":-1}", "SettingValueOutOfRange")]
    [InlineData("{\"name\":\"user.max_user_namespaces\",\"value\":1.5}", "InvalidSettingValue")]
    [InlineData("{\"name\":\"vm.swappiness\",\"value\":1}", "UnknownSetting")]
    public async Task BadDocumentsAreRejectedWithNothingWritten(string input, string errorId)
    {
        using var root = new TestRoot().WithProc(Max, "42");
        var before = root.Tree();

        var ex = await Assert.ThrowsAsync<UsernsException>(() => DscResource.SetAsync(input, root.Context(), whatIf: false, CancellationToken.None));

        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(before, root.Tree());
    }

    [Fact]
    public void TheManifestFollowsTheDscV3CommandResourceFormat()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "usernstools.dsc.resource.json")));
        var root = manifest.RootElement;

        Assert.Equal("https://aka.ms/dsc/schemas/v3/bundled/resource/manifest.json", root.GetProperty("$schema").GetString());
        Assert.Equal(DscResource.ResourceType, root.GetProperty("type").GetString());
        Assert.Matches(@"^\w+(\.\w+){0,2}/\w+$", root.GetProperty("type").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+$", root.GetProperty("version").GetString());
        foreach (var operation in new[] { "get", "test", "set", "export" })
        {
            var section = root.GetProperty(operation);
            Assert.Equal("usernstools", section.GetProperty("executable").GetString());
            Assert.Equal(new[] { "dsc", operation }, section.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
            Assert.Equal("stdin", section.GetProperty("input").GetString());
        }

        Assert.Equal("stateAndDiff", root.GetProperty("test").GetProperty("return").GetString());
        Assert.Equal("stateAndDiff", root.GetProperty("set").GetProperty("return").GetString());
        Assert.True(root.GetProperty("whatIf").GetProperty("implementsPretest").GetBoolean());
        var schema = root.GetProperty("schema").GetProperty("embedded");
        Assert.Equal(
            SettingCatalog.Writable.Select(d => d.Name),
            schema.GetProperty("properties").GetProperty("name").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(
            new[] { "name", "value", "scope", "force", "runtimeValue", "persistedValue", "persistedSource", "_inDesiredState" },
            schema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    private static JsonElement State(string output) => JsonDocument.Parse(output.Split('\n')[0]).RootElement.Clone();

    private static string Diff(string output) => output.Split('\n')[1];

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "UsernsTools.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("UsernsTools.sln not found above the test folder");
    }
}
