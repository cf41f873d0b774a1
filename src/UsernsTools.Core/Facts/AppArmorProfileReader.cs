using System.Text.RegularExpressions;
using UsernsTools.Platform;

namespace UsernsTools.Facts;

/// <summary>
/// Finds the AppArmor profiles in /etc/apparmor.d that matter for user namespaces: those with a
/// <c>userns,</c> rule and those attached to bwrap or unshare (a second profile on the same path conflicts).
/// </summary>
internal static partial class AppArmorProfileReader
{
    public const string ProfileDirectory = "/etc/apparmor.d";

    /// <summary>apparmor_parser skips these, so they never become loaded profiles.</summary>
    private static readonly string[] s_ignoredSuffixes =
    {
        "~", ".dpkg-new", ".dpkg-old", ".dpkg-dist", ".dpkg-bak", ".dpkg-remove", ".ucf-new", ".ucf-old", ".ucf-dist",
        ".rpmnew", ".rpmsave", ".orig", ".rej", ".pacnew", ".pacsave",
    };

    private static readonly string[] s_sandboxTools = { "bwrap", "unshare" };

    /// <summary>The profiles that matter for user namespaces: those that grant <c>userns,</c> or attach to bwrap or unshare.</summary>
    public static IReadOnlyList<AppArmorProfileFact> Read(string root)
    {
        // A loop, not Where(...).Select(...): see DiagnosisContext.RestrictedDenials.
        var facts = new List<AppArmorProfileFact>();
        foreach (var p in Scan(root, MayMatter))
        {
            if (p.GrantsUserns || p.Attachments.Any(a => s_sandboxTools.Any(t => AttachesTo(a, t))))
            {
                facts.Add(new AppArmorProfileFact { Name = p.Name, File = p.File, Attachment = p.Attachments.Count > 0 ? p.Attachments[0] : null, GrantsUserns = p.GrantsUserns });
            }
        }

        return facts.ToArray();
    }

    /// <summary>Every profile apparmor_parser would load from /etc/apparmor.d, in file order.</summary>
    public static IReadOnlyList<AppArmorProfileDefinition> ReadAll(string root) => Scan(root, _ => true);

    /// <summary>The profile one file defines (its top-level profile), or none when the file defines none.</summary>
    public static IReadOnlyList<AppArmorProfileDefinition> Parse(string machinePath, string content)
    {
        ArgumentNullException.ThrowIfNull(machinePath);
        ArgumentNullException.ThrowIfNull(content);
        var variables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? name = null;
        IReadOnlyList<string> attachments = Array.Empty<string>();
        var grants = false;
        foreach (var raw in content.Split('\n'))
        {
            var line = StripComment(raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (VariableRegex().Match(line) is { Success: true } variable)
            {
                var values = Tokenize(variable.Groups[3].Value).ToList();
                if (variable.Groups[2].Success && variables.TryGetValue(variable.Groups[1].Value, out var existing))
                {
                    existing.AddRange(values);
                }
                else
                {
                    variables[variable.Groups[1].Value] = values;
                }

                continue;
            }

            if (UsernsRuleRegex().IsMatch(line))
            {
                grants = true;
                continue;
            }

            if (name is null && line.EndsWith('{') && ParseHeader(line[..^1]) is { } header)
            {
                name = header.Name;
                attachments = header.Attachment is null ? Array.Empty<string>() : Expand(header.Attachment, variables);
            }
        }

        return name is null
            ? Array.Empty<AppArmorProfileDefinition>()
            : new[] { new AppArmorProfileDefinition(machinePath, name, attachments, grants) };
    }

    private static List<AppArmorProfileDefinition> Scan(string root, Func<string, bool> worthParsing)
    {
        var result = new List<AppArmorProfileDefinition>();
        var dir = RootedPath.Combine(root, ProfileDirectory);
        if (!Directory.Exists(dir))
        {
            return result;
        }

        try
        {
            // Only the top level holds profiles; abstractions/, tunables/, local/ hold fragments they include.
            foreach (var file in new DirectoryInfo(dir).EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                var name = file.Name;
                if (name.StartsWith('.') || name == "README" || s_ignoredSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal))
                    || Path.Exists(Path.Combine(dir, "disable", name)))
                {
                    continue;
                }

                var content = RootedPath.ReadText(root, ProfileDirectory + "/" + name);
                if (content is not null && worthParsing(content))
                {
                    result.AddRange(Parse(ProfileDirectory + "/" + name, content));
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return result;
    }

    /// <summary>Most profiles mention neither userns nor a sandbox tool; the facts need not parse them.</summary>
    private static bool MayMatter(string content) =>
        content.Contains("userns", StringComparison.Ordinal) || s_sandboxTools.Any(t => content.Contains(t, StringComparison.Ordinal));

    /// <summary>
    /// <c>profile NAME [ATTACHMENT] [flags=(...)]</c> or a bare <c>/path [flags=(...)]</c>, where a bare path is
    /// both the name and the attachment.
    /// </summary>
    private static (string Name, string? Attachment)? ParseHeader(string text)
    {
        var tokens = Tokenize(text).Where(t => !t.StartsWith("flags=", StringComparison.Ordinal) && !t.StartsWith("xattrs=", StringComparison.Ordinal)).ToList();
        if (tokens.Count == 0)
        {
            return null;
        }

        if (tokens[0] == "profile" && tokens.Count >= 2)
        {
            var attachment = tokens.Count >= 3 && IsPath(tokens[2]) ? tokens[2] : null;
            return (tokens[1], attachment ?? (IsPath(tokens[1]) ? tokens[1] : null));
        }

        return IsPath(tokens[0]) && tokens.Count == 1 ? (tokens[0], tokens[0]) : null;
    }

    private static bool IsPath(string token) => token.StartsWith('/') || token.StartsWith("@{", StringComparison.Ordinal);

    /// <summary>True when the attachment's last component names the tool, alone or in an alternation like <c>{bwrap,unshare}</c>.</summary>
    private static bool AttachesTo(string attachment, string tool)
    {
        var last = attachment[(attachment.LastIndexOf('/') + 1)..];
        return last == tool || (last.StartsWith('{') && last.Trim('{', '}').Split(',').Contains(tool));
    }

    private static IEnumerable<string> Tokenize(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                yield break;
            }

            var start = i;
            if (text[i] == '"')
            {
                var end = text.IndexOf('"', i + 1);
                end = end < 0 ? text.Length : end;
                yield return text[(i + 1)..end];
                i = end + 1;
                continue;
            }

            // flags=(a, b) may hold spaces inside its parentheses.
            var depth = 0;
            while (i < text.Length && (depth > 0 || !char.IsWhiteSpace(text[i])))
            {
                depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
                i++;
            }

            yield return text[start..i];
        }
    }

    /// <summary>Every path an attachment stands for: a variable with several values gives several paths.</summary>
    private static List<string> Expand(string attachment, Dictionary<string, List<string>> variables)
    {
        var results = new List<string> { attachment };
        for (var round = 0; round < 8; round++)
        {
            var next = new List<string>();
            var changed = false;
            foreach (var item in results)
            {
                var m = VariableReferenceRegex().Match(item);
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

    /// <summary>'#' starts a comment, except the old <c>#include</c> spelling.</summary>
    private static string StripComment(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith("#include", StringComparison.Ordinal))
        {
            return line;
        }

        var hash = line.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? line : line[..hash];
    }

    [GeneratedRegex(@"^(?:(?:audit|allow)\s+)*userns(?:\s+create)?\s*,", RegexOptions.CultureInvariant)]
    private static partial Regex UsernsRuleRegex();

    [GeneratedRegex(@"^@\{(\w+)\}\s*(\+)?=\s*(.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableRegex();

    [GeneratedRegex(@"@\{(\w+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex VariableReferenceRegex();
}
