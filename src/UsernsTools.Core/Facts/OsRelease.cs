using System.Text;

namespace UsernsTools.Facts;

/// <summary>Parses os-release(5): shell-style <c>KEY=value</c> lines with optional single or double quotes.</summary>
internal static class OsRelease
{
    public const string EtcPath = "/etc/os-release";

    /// <summary>The vendor copy that /etc/os-release usually links to, read when /etc has none.</summary>
    public const string UsrLibPath = "/usr/lib/os-release";

    public static IReadOnlyDictionary<string, string> Parse(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in content.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            result[line[..eq].Trim()] = Unquote(line[(eq + 1)..].Trim());
        }

        return result;
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
        {
            // Single quotes keep everything literally, as in the shell.
            return value[1..^1];
        }

        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
        }

        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        // Inside double quotes (and bare words) the spec allows escaping $ " \ and `.
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length && value[i + 1] is '$' or '"' or '\\' or '`' or '\'')
            {
                i++;
            }

            builder.Append(value[i]);
        }

        return builder.ToString();
    }
}
