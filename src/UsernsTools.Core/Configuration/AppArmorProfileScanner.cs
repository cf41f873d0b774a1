using System.Text;
using System.Text.RegularExpressions;
using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>
/// Finds which profiles under /etc/apparmor.d attach to which executables, so a new profile for a path that an
/// existing profile already covers is caught before the two conflict. Reads the top-level profile files only
/// (abstractions, tunables and local/ are fragments) and skips profiles listed in disable/.
/// </summary>
internal static partial class AppArmorProfileScanner
{
    public static IReadOnlyList<ScannedProfile> Scan(string root)
    {
        var directory = RootedPath.Combine(root, ManagedPaths.AppArmorDir);
        if (!Directory.Exists(directory))
        {
            return Array.Empty<ScannedProfile>();
        }

        var result = new List<ScannedProfile>();
        foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith('.') || name.EndsWith('~') || name.Contains(".dpkg-", StringComparison.Ordinal)
                || File.Exists(Path.Combine(directory, "disable", name)))
            {
                continue;
            }

            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            result.AddRange(Parse(ManagedPaths.AppArmorDir + "/" + name, text));
        }

        return result;
    }

    /// <summary>The profiles one file defines.</summary>
    public static IReadOnlyList<ScannedProfile> Parse(string machineFile, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var variables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (Match m in VariableLine().Matches(text))
        {
            var values = m.Groups["values"].Value.Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Trim('"')).ToList();
            if (m.Groups["plus"].Success && variables.TryGetValue(m.Groups["name"].Value, out var existing))
            {
                existing.AddRange(values);
            }
            else
            {
                variables[m.Groups["name"].Value] = values;
            }
        }

        var grants = UsernsRule().IsMatch(text);
        var profiles = new List<ScannedProfile>();
        foreach (Match m in ProfileHeader().Matches(text))
        {
            var name = m.Groups["name"].Success ? m.Groups["name"].Value.Trim('"') : null;
            var attach = m.Groups["attach"].Success ? m.Groups["attach"].Value.Trim('"') : null;
            if (attach is null && name is not null && (name.StartsWith('/') || name.StartsWith('@')))
            {
                attach = name;
            }

            if (name is null && attach is null)
            {
                continue;
            }

            var attachments = attach is null ? new List<string>() : Expand(attach, variables);
            profiles.Add(new ScannedProfile(machineFile, name ?? attach!, attachments, grants));
        }

        return profiles;
    }

    /// <summary>Whether an AppArmor attachment glob (*, **, ?, {a,b}, [..]) matches <paramref name="path"/>.</summary>
    public static bool Matches(string attachment, string path)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        var pattern = new StringBuilder("^");
        for (var i = 0; i < attachment.Length; i++)
        {
            var c = attachment[i];
            switch (c)
            {
                case '*' when i + 1 < attachment.Length && attachment[i + 1] == '*':
                    pattern.Append(".*");
                    i++;
                    break;
                case '*':
                    pattern.Append("[^/]*");
                    break;
                case '?':
                    pattern.Append("[^/]");
                    break;
                case '{':
                    pattern.Append("(?:");
                    break;
                case '}':
                    pattern.Append(')');
                    break;
                case ',':
                    pattern.Append('|');
                    break;
                case '[':
                    var end = attachment.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        pattern.Append(@"\[");
                        break;
                    }

                    pattern.Append('[').Append(attachment[(i + 1)..end].Replace("^", @"\^", StringComparison.Ordinal)).Append(']');
                    i = end;
                    break;
                default:
                    pattern.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        pattern.Append('$');
        try
        {
            return Regex.IsMatch(path, pattern.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return string.Equals(attachment, path, StringComparison.Ordinal);
        }
    }

    private static List<string> Expand(string attachment, Dictionary<string, List<string>> variables)
    {
        var results = new List<string> { attachment };
        for (var round = 0; round < 8; round++)
        {
            var next = new List<string>();
            var changed = false;
            foreach (var item in results)
            {
                var m = VariableUse().Match(item);
                if (!m.Success || !variables.TryGetValue(m.Groups[1].Value, out var values))
                {
                    next.Add(item);
                    continue;
                }

                changed = true;
                next.AddRange(values.Select(v => item[..m.Index] + v + item[(m.Index + m.Length)..]));
            }

            results = next;
            if (!changed)
            {
                break;
            }
        }

        return results;
    }

    [GeneratedRegex(@"^[ \t]*@\{(?<name>[\w-]+)\}[ \t]*(?<plus>\+)?=[ \t]*(?<values>[^\n#]*)", RegexOptions.Multiline)]
    private static partial Regex VariableLine();

    [GeneratedRegex(@"@\{([\w-]+)\}")]
    private static partial Regex VariableUse();

    [GeneratedRegex(@"^[ \t]*(?:allow[ \t]+)?userns\b[^\n,]*,", RegexOptions.Multiline)]
    private static partial Regex UsernsRule();

    [GeneratedRegex(
        @"^[ \t]*(?:profile[ \t]+(?<name>""[^""\n]+""|[^\s{]+)(?:[ \t]+(?<attach>""[^""\n]+""|[/@](?:\{[^}\s]*\}|[^\s{])*))?|(?<attach>[/@](?:\{[^}\s]*\}|[^\s{])*))[ \t]*(?:xattrs=\([^)\n]*\)[ \t]*)?(?:flags=\([^)\n]*\)[ \t]*)?\{[ \t]*(?:\#[^\n]*)?$",
        RegexOptions.Multiline)]
    private static partial Regex ProfileHeader();
}
