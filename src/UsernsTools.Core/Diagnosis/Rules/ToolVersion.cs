using System.Globalization;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>Reads the first dotted number from a tool's version text ("2.38.1", "unshare from util-linux 2.38.1").</summary>
internal static class ToolVersion
{
    public static Version? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                continue;
            }

            var end = i;
            while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'))
            {
                end++;
            }

            var parts = text[i..end].Trim('.').Split('.', StringSplitOptions.RemoveEmptyEntries);
            var numbers = new int[Math.Max(2, Math.Min(parts.Length, 4))];
            for (var p = 0; p < Math.Min(parts.Length, 4); p++)
            {
                if (!int.TryParse(parts[p], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[p]))
                {
                    return null;
                }
            }

            return numbers.Length switch
            {
                2 => new Version(numbers[0], numbers[1]),
                3 => new Version(numbers[0], numbers[1], numbers[2]),
                _ => new Version(numbers[0], numbers[1], numbers[2], numbers[3]),
            };
        }

        return null;
    }
}
