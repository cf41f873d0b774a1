using System.Text.Json.Serialization;

namespace UsernsTools.Sandbox;

/// <summary>A host path made visible at a path inside the sandbox (bwrap only).</summary>
public sealed class BindMount
{
    public BindMount()
    {
    }

    public BindMount(string source, string target, bool readOnly = false)
    {
        Source = source;
        Target = target;
        ReadOnly = readOnly;
    }

    /// <summary>Absolute path on the host.</summary>
    [JsonInclude] public string Source { get; set; } = "";

    /// <summary>Absolute path inside the sandbox.</summary>
    [JsonInclude] public string Target { get; set; } = "";

    [JsonInclude] public bool ReadOnly { get; set; }
}
