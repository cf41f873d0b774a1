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

    [GeneratedRegex(@"(?<![\w.])\d+(?:\.\d+)+", RegexOptions.CultureInvariant)]
    private static partial Regex VersionRegex();
}
