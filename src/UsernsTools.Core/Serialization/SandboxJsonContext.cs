using System.Text.Json.Serialization;
using UsernsTools.Sandbox;

namespace UsernsTools.Serialization;

/// <summary>Source-generated JSON for the sandbox types, with the same conventions as <see cref="UsernsJsonContext"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(NamespaceSpec))]
[JsonSerializable(typeof(NamespacedProcessResult))]
[JsonSerializable(typeof(ProcessNamespace))]
[JsonSerializable(typeof(IReadOnlyList<ProcessNamespace>))]
internal sealed partial class SandboxJsonContext : JsonSerializerContext
{
}
