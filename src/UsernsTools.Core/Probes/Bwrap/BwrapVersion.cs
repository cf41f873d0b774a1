using System.Globalization;

namespace UsernsTools.Probes.Bwrap;

/// <summary>Reads and writes the first line of <c>bwrap --version</c> (<c>bubblewrap 0.8.0</c>).</summary>
internal static class BwrapVersion
{
    private const string Name = "bubblewrap ";

    /// <summary>The first release built without setuid support by default.</summary>
    public static readonly Version SetuidOffByDefault = new(0, 11, 2);

    /// <summary>The version string from <c>bwrap --version</c> output, or null when the text is not one.</summary>
    public static string? Parse(string? output)
    {
        if (string.IsNullOrEmpty(output))
        {
            return null;
        }

        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith(Name, StringComparison.Ordinal))
            {
                continue;
            }

            var version = line[Name.Length..].Trim();
            return version.Length > 0 && !version.Contains(' ', StringComparison.Ordinal) && char.IsAsciiDigit(version[0]) ? version : null;
        }

        return null;
    }

    /// <summary>The line bwrap prints for <paramref name="version"/>.</summary>
    public static string Format(string version) => Name + version;

    /// <summary>Whether this build accepts setuid use; null when the version cannot be compared.</summary>
    public static bool? SupportsSetuid(string? version)
    {
        var parsed = ToVersion(version);
        return parsed is null ? null : parsed < SetuidOffByDefault;
    }

    /// <summary>The numeric part of a version string (<c>0.11.2</c>, <c>0.8.0-rc1</c>), or null.</summary>
    public static Version? ToVersion(string? version)
    {
        if (string.IsNullOrEmpty(version))
        {
            return null;
        }

        var numeric = new string(version.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').ToArray()).TrimEnd('.');
        var parts = numeric.Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 2 or > 4)
        {
            return null;
        }

        var numbers = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return null;
            }
        }

        return numbers.Length switch
        {
            2 => new Version(numbers[0], numbers[1], 0),
            3 => new Version(numbers[0], numbers[1], numbers[2]),
            _ => new Version(numbers[0], numbers[1], numbers[2], numbers[3]),
        };
    }
}
