using System.Text.RegularExpressions;

namespace UsernsTools.Facts;

/// <summary>Pulls the version number out of a tool's <c>--version</c> output.</summary>
internal static partial class ToolVersion
{
    /// <summary>
    /// The first dotted number on the first line that has one: <c>unshare from util-linux 2.38.1</c> gives 2.38.1,
    /// <c>bubblewrap 0.8.0</c> gives 0.8.0.
    /// </summary>
    public static string? Parse(string? output)
    {
        if (string.IsNullOrEmpty(output))
        {
            return null;
        }

        foreach (var line in output.Split('\n'))
        {
            var match = VersionRegex().Match(line);
            if (match.Success)
            {
                return match.Value;
            }
        }

        return null;
    }

    /// <summary>The same number as a <see cref="Version"/> for comparisons (at most four parts); null when there is none.</summary>
    public static Version? AsVersion(string? output)
    {
        var text = Parse(output);
        return text is not null && Version.TryParse(string.Join('.', text.Split('.').Take(4)), out var version) ? version : null;
    }

    [GeneratedRegex(@"(?<![\w.])\d+(?:\.\d+)+", RegexOptions.CultureInvariant)]
    private static partial Regex VersionRegex();
}
