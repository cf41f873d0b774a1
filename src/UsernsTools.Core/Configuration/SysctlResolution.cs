namespace UsernsTools.Configuration;

/// <summary>The merged result of all sysctl configuration files below a root.</summary>
internal sealed record SysctlResolution(
    IReadOnlyDictionary<string, SysctlKeyResolution> Keys,
    IReadOnlyList<string> FilesInOrder)
{
    public SysctlKeyResolution? this[string key] => Keys.TryGetValue(key, out var value) ? value : null;
}
