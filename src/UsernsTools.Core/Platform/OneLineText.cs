using System.Globalization;
using System.Text;

namespace UsernsTools.Platform;

/// <summary>
/// Makes a message one printable line: control characters (newlines, ESC, BEL, C1), line separators and bidirectional
/// overrides become visible escapes such as <c>\n</c> and <c>\u001b</c>. An error message quotes its input, and a
/// value with a newline or an escape sequence must not forge a second line or drive the terminal.
/// </summary>
internal static class OneLineText
{
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(NeedsEscape))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when NeedsEscape(c) => builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u200e' and <= '\u200f') or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');
}
