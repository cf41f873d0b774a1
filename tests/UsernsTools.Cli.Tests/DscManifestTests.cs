using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Xunit;

namespace UsernsTools.Tests.Cli;

/// <summary>
/// usernstools.dsc.resource.json obeys the rules of DSC's published v3 resource manifest schema
/// (https://aka.ms/dsc/schemas/v3/bundled/resource/manifest.json, which DSC applies when it loads a manifest). The
/// schema file is not shipped with this project; these tests assert the rules it encodes, each named after the
/// keyword that carries it.
/// </summary>
public class DscManifestTests
{
    private const string DscSchemas = "https://aka.ms/dsc/schemas/";
    private const string DscRawSchemas = "https://raw.githubusercontent.com/PowerShell/DSC/main/schemas/";

    private static readonly JsonElement s_manifest = DscManifest.Root;

    public static TheoryData<string> Operations() => new() { "get", "test", "set", "whatIf", "export" };

    [Fact]
    public void TopLevelHasTheRequiredPropertiesInTheirForms()
    {
        // required: $schema, type, version; $schema is one of the canonical manifest URIs.
        var schema = s_manifest.GetProperty("$schema").GetString()!;
        Assert.Matches(@"^https://(aka\.ms/dsc/schemas|raw\.githubusercontent\.com/PowerShell/DSC/main/schemas)/v3(\.\d+){0,2}/(bundled/)?resource/manifest(\.vscode)?\.json$", schema);
        Assert.Matches(@"^\w+(\.\w+){0,3}/\w+$", s_manifest.GetProperty("type").GetString()!);
        Assert.Matches(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$", s_manifest.GetProperty("version").GetString()!);

        // tags: unique, each ^\w+$.
        var tags = s_manifest.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(tags.Count, tags.Distinct().Count());
        Assert.All(tags, t => Assert.Matches(@"^\w+$", t));

        // No property the manifest schema does not define.
        var known = new[] { "$schema", "type", "version", "description", "kind", "tags", "get", "set", "whatIf", "test", "delete", "export", "validate", "resolve", "adapter", "exitCodes", "schema" };
        Assert.All(s_manifest.EnumerateObject(), p => Assert.Contains(p.Name, known));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void EachOperationIsACommandTheSchemaAccepts(string operation)
    {
        var method = s_manifest.GetProperty(operation);
        Assert.False(string.IsNullOrEmpty(method.GetProperty("executable").GetString()));

        // args: strings, or one {jsonInputArg, mandatory} object; with "input" there may be no such object (oneOf).
        var args = method.GetProperty("args").EnumerateArray().ToList();
        Assert.All(args, a => Assert.True(a.ValueKind == JsonValueKind.String || (a.ValueKind == JsonValueKind.Object && a.TryGetProperty("jsonInputArg", out _))));
        Assert.True(method.TryGetProperty("input", out var input) || args.Count(a => a.ValueKind == JsonValueKind.Object) == 1);
        Assert.Contains(input.GetString(), new[] { "env", "stdin" });

        var allowed = operation switch
        {
            "get" or "export" => new[] { "executable", "args", "input" },
            "test" => new[] { "executable", "args", "input", "return" },
            _ => new[] { "executable", "args", "input", "implementsPretest", "handlesExist", "return" },
        };
        Assert.All(method.EnumerateObject(), p => Assert.Contains(p.Name, allowed));
        if (method.TryGetProperty("return", out var kind))
        {
            Assert.Contains(kind.GetString(), new[] { "state", "stateAndDiff" });
        }

        // whatIf requires return (manifest.whatIf.json).
        if (operation == "whatIf")
        {
            Assert.True(method.TryGetProperty("return", out _));
        }
    }

    [Fact]
    public void ExitCodesAreIntegerKeysWithTextAndZeroIsSuccess()
    {
        var codes = s_manifest.GetProperty("exitCodes").EnumerateObject().ToList();
        Assert.All(codes, c => Assert.Matches(@"^-?[0-9]+$", c.Name));
        Assert.All(codes, c => Assert.Equal(JsonValueKind.String, c.Value.ValueKind));
        Assert.Equal("Success", codes.Single(c => c.Name == "0").Value.GetString());
    }

    [Fact]
    public void TheEmbeddedInstanceSchemaIsAValidSchemaOfTheRequiredShape()
    {
        var embedded = s_manifest.GetProperty("schema").GetProperty("embedded");

        // required: $schema (a known dialect), type "object", properties (at least one).
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", embedded.GetProperty("$schema").GetString());
        Assert.Equal("object", embedded.GetProperty("type").GetString());
        Assert.NotEmpty(embedded.GetProperty("properties").EnumerateObject());

        // And it is itself valid JSON Schema 2020-12.
        var result = MetaSchemas.Draft202012.Evaluate(embedded);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void InDesiredStateIsTheCanonicalReferenceResolvableOffline()
    {
        var embedded = s_manifest.GetProperty("schema").GetProperty("embedded");
        var property = embedded.GetProperty("properties").GetProperty("_inDesiredState");

        // The manifest schema's enum: exactly {"$ref": <a canonical inDesiredState.json URI>} and nothing else.
        var reference = Assert.Single(property.EnumerateObject());
        Assert.Equal("$ref", reference.Name);
        var uri = reference.Value.GetString()!;
        Assert.Matches(new Regex($"^({Regex.Escape(DscSchemas)}|{Regex.Escape(DscRawSchemas)})v3(\\.\\d+){{0,2}}/resource/properties/inDesiredState\\.json$"), uri);

        // The referenced schema is in $defs under that URI, so a validator resolves it with no network.
        var copy = embedded.GetProperty("$defs").GetProperty(uri);
        Assert.Equal(uri, copy.GetProperty("$id").GetString());
        Assert.Equal(new[] { "boolean", "null" }, copy.GetProperty("type").EnumerateArray().Select(t => t.GetString()));

        var schema = DscManifest.InstanceSchema;
        Assert.True(schema.Evaluate(JsonDocument.Parse("""{"name":"user.max_user_namespaces","_inDesiredState":true}""").RootElement).IsValid);
        Assert.False(schema.Evaluate(JsonDocument.Parse("""{"name":"user.max_user_namespaces","_inDesiredState":"yes"}""").RootElement).IsValid);
    }

    [Fact]
    public void NameIsTheInstanceKey()
    {
        var name = s_manifest.GetProperty("schema").GetProperty("embedded").GetProperty("properties").GetProperty("name");
        Assert.True(name.GetProperty("x-dsc-key").GetBoolean());
    }
}
