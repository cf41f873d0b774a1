namespace UsernsTools.Module.Tests;

/// <summary>What one [Parameter] attribute says (null position = named).</summary>
internal sealed record ParameterSetInfo(string SetName, int? Position, bool Mandatory, bool ValueFromPipeline, bool ValueFromPipelineByPropertyName)
{
    /// <summary>ParameterAttribute.AllParameterSets.</summary>
    public const string AllSets = "__AllParameterSets";
}
