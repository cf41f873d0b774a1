using System.Globalization;
using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>A sysctl that UsernsTools may change, with the integer range the kernel accepts.</summary>
internal sealed record SettingDefinition(string Name, long Minimum, long Maximum)
{
    /// <summary>The file under /proc that holds the runtime value.</summary>
    public string ProcPath => "/proc/sys/" + Name.Replace('.', '/');

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
