using System.Globalization;
using UsernsTools.Platform;

namespace UsernsTools.Facts;

/// <summary>
/// A kernel setting the catalog knows: its name, the file that holds its runtime value, whether sysctl
/// configuration can persist it (and so whether UsernsTools may write it), the integer range the kernel accepts,
/// and how to put its value into words.
/// </summary>
internal sealed record SettingDefinition(string Name, string Path, bool IsSysctl, string AbsentEffect, Func<string, string> DescribeValue)
{
    /// <summary>The smallest value the kernel accepts.</summary>
    public long Minimum { get; init; }

    /// <summary>The largest value the kernel accepts.</summary>
    public long Maximum { get; init; } = 1;

    /// <summary>Only sysctls are written: the RHEL 7 switch is a boot option that a sysctl file cannot set.</summary>
    public bool Writable => IsSysctl;

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

    /// <summary>Canonical text of <paramref name="value"/> (decimal, no sign or padding); throws with nothing written when invalid.</summary>
    public string Normalize(string? value)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0 || !text.All(c => char.IsAsciiDigit(c) || c == '-' || c == '+'))
        {
            throw new UsernsException(
                "InvalidSettingValue",
                UsernsErrorCategory.InvalidArgument,
                $"'{value}' is not a valid value for {Name}: it takes an integer from {Minimum} to {Maximum}.",
                value);
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            || number < Minimum
            || number > Maximum)
        {
            throw new UsernsException(
                "SettingValueOutOfRange",
                UsernsErrorCategory.InvalidArgument,
                $"{value} is out of range for {Name}: it takes an integer from {Minimum} to {Maximum}.",
                value);
        }

        return number.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Whether two values mean the same to the kernel ("01" and "1"); unparsable values compare as text.</summary>
    public static bool SameValue(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (long.TryParse(a.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var x)
            && long.TryParse(b.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var y))
        {
            return x == y;
        }

        return string.Equals(a.Trim(), b.Trim(), StringComparison.Ordinal);
    }
}
