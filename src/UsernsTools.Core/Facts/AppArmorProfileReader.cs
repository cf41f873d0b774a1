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

    public static IReadOnlyList<AppArmorProfileFact> Read(string root)
    {
        var dir = RootedPath.Combine(root, ProfileDirectory);
        if (!Directory.Exists(dir))
        {
            return Array.Empty<AppArmorProfileFact>();
        }

        var result = new List<AppArmorProfileFact>();
        try
        {
            // Only the top level holds profiles; abstractions/, tunables/, local/ hold fragments they include.
            foreach (var file in new DirectoryInfo(dir).EnumerateFiles())
            {
                var name = file.Name;
                if (name.StartsWith('.') || name == "README" || s_ignoredSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal))
                    || Path.Exists(Path.Combine(dir, "disable", name)))
                {
                    continue;
                }

                var content = RootedPath.ReadText(root, ProfileDirectory + "/" + name);
                if (content is not null && Parse(name, ProfileDirectory + "/" + name, content) is { } fact)
                {
                    result.Add(fact);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        result.Sort((a, b) => string.CompareOrdinal(a.File, b.File));
        return result;
    }

    /// <summary>The profile in one file, or null when it neither grants <c>userns,</c> nor attaches to a sandbox tool.</summary>
    public static AppArmorProfileFact? Parse(string fileName, string machinePath, string content)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(content);

        // Most profiles mention neither word; skip parsing them.
        if (!content.Contains("userns", StringComparison.Ordinal) && !s_sandboxTools.Any(t => content.Contains(t, StringComparison.Ordinal)))
        {
            return null;
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        string? attachment = null;
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
                variables.TryAdd(variable.Groups[1].Value, FirstWord(variable.Groups[2].Value));
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
                attachment = header.Attachment is null ? null : Expand(header.Attachment, variables);
            }
        }

        var attachesToTool = attachment is not null && s_sandboxTools.Any(t => AttachesTo(attachment, t));
        if (!grants && !attachesToTool)
        {
            return null;
        }

        return new AppArmorProfileFact { Name = name ?? fileName, File = machinePath, Attachment = attachment, GrantsUserns = grants };
    }

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

    private static string Expand(string attachment, Dictionary<string, string> variables) =>
        VariableReferenceRegex().Replace(attachment, m => variables.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    private static string FirstWord(string value) => Tokenize(value).FirstOrDefault() ?? "";

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

    [GeneratedRegex(@"^@\{(\w+)\}\s*\+?=\s*(.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableRegex();

    [GeneratedRegex(@"@\{(\w+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex VariableReferenceRegex();
}
