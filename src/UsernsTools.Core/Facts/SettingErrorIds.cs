namespace UsernsTools.Facts;

/// <summary>Error ids of setting names that their callers tell apart from the rest of their category.</summary>
internal static class SettingErrorIds
{
    /// <summary>A change asked of the RHEL 7 boot switch, which only the kernel command line sets.</summary>
    public const string BootOptionRequired = "BootOptionRequired";
}
