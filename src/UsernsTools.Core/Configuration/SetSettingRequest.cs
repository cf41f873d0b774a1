namespace UsernsTools.Configuration;

/// <summary>Set-UsernsSetting / Test-UsernsSetting: one sysctl to a value, in the running kernel, at boot, or both.</summary>
internal sealed record SetSettingRequest(string Name, string Value)
{
    public ChangeScope Scope { get; init; } = ChangeScope.Runtime | ChangeScope.Persistent;

    /// <summary>Write the drop-in even though another file would still win at boot (a warning says which).</summary>
    public bool Force { get; init; }
}
