using System.Globalization;

namespace UsernsTools.HelpGen;

/// <summary>
/// Reads the small YAML subset platyPS writes (front matter and parameter blocks): scalars, lists of scalars,
/// and lists of flat maps. A full YAML library is not on the package source and is not needed for this.
/// </summary>
public static class YamlBlock
{
    /// <summary>Top-level keys to their scalar value, list of scalars, or list of maps.</summary>
    public static Dictionary<string, object> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        string? listKey = null;
        Dictionary<string, string>? currentMap = null;
        foreach (var rawLine in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            if (rawLine.Trim().Length == 0 || rawLine.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var indent = rawLine.Length - rawLine.TrimStart().Length;
            var line = rawLine.Trim();
            if (indent == 0 && !line.StartsWith('-'))
            {
                var (key, value) = SplitPair(line);
                currentMap = null;
                if (value.Length == 0)
                {
                    listKey = key;
                    result[key] = new List<object>();
                }
                else
                {
                    listKey = null;
                    result[key] = value.StartsWith('[') ? InlineList(value) : Unquote(value);
                }

                continue;
            }

            if (listKey is null)
            {
                throw new FormatException($"YAML line '{rawLine}' is not under a list key.");
            }

            var list = (List<object>)result[listKey];
            if (line.StartsWith('-'))
            {
                var item = line[1..].Trim();
                if (item.Contains(": ", StringComparison.Ordinal) || item.EndsWith(':'))
                {
                    currentMap = new Dictionary<string, string>(StringComparer.Ordinal);
                    var (key, value) = SplitPair(item);
                    currentMap[key] = Unquote(value);
                    list.Add(currentMap);
                }
                else
                {
                    currentMap = null;
                    list.Add(Unquote(item));
                }
            }
            else if (currentMap is not null)
            {
                var (key, value) = SplitPair(line);
                currentMap[key] = Unquote(value);
            }
            else
            {
                throw new FormatException($"YAML line '{rawLine}' is not part of a list item.");
            }
        }

        return result;
    }

    public static string Scalar(Dictionary<string, object> yaml, string key, string fallback = "") =>
        yaml.TryGetValue(key, out var value) && value is string text ? text : fallback;

    public static bool Boolean(Dictionary<string, string> map, string key) =>
        map.TryGetValue(key, out var value) && bool.Parse(value);

    public static bool Boolean(Dictionary<string, object> yaml, string key) =>
        yaml.TryGetValue(key, out var value) && value is string text && bool.Parse(text);

    public static IEnumerable<string> Strings(Dictionary<string, object> yaml, string key) =>
        yaml.TryGetValue(key, out var value) && value is List<object> list ? list.OfType<string>() : Array.Empty<string>();

    public static IEnumerable<Dictionary<string, string>> Maps(Dictionary<string, object> yaml, string key) =>
        yaml.TryGetValue(key, out var value) && value is List<object> list ? list.OfType<Dictionary<string, string>>() : Array.Empty<Dictionary<string, string>>();

    private static (string Key, string Value) SplitPair(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException($"YAML line '{line}' has no 'key:'.");
        }

        return (line[..colon].Trim(), line[(colon + 1)..].Trim());
    }

    private static List<object> InlineList(string value)
    {
        var inner = value.Trim().TrimStart('[').TrimEnd(']').Trim();
        return inner.Length == 0
            ? new List<object>()
            : inner.Split(',').Select(s => (object)Unquote(s.Trim())).ToList();
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
        {
            return value[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            return value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal);
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }
}
