namespace UsernsTools.Facts;

/// <summary>
/// A kernel setting the catalog knows: its name, the file that holds its runtime value, whether sysctl
/// configuration can persist it, and how to put its value into words.
/// </summary>
internal sealed record SettingDefinition(string Name, string Path, bool IsSysctl, string AbsentEffect, Func<string, string> DescribeValue)
{
    /// <summary>The Effect sentence for a value as read (null: present but unreadable).</summary>
    public string Describe(bool present, string? value)
    {
        if (!present)
        {
            return AbsentEffect;
        }

        return value is null
            ? $"The value of {Path} could not be read, so its effect is unknown."
            : DescribeValue(value);
    }
}
