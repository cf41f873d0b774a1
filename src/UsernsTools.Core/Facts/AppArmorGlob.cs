using System.Text;
using System.Text.RegularExpressions;

namespace UsernsTools.Facts;

/// <summary>AppArmor's attachment globs: <c>*</c> within a path component, <c>**</c> across them, <c>?</c>, <c>{a,b}</c> and <c>[..]</c>.</summary>
internal static class AppArmorGlob
{
    /// <summary>Whether <paramref name="attachment"/> matches the program path <paramref name="path"/>.</summary>
    public static bool Matches(string attachment, string path)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        ArgumentNullException.ThrowIfNull(path);
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
}
