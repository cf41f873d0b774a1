using System.Buffers;
using System.Globalization;
using System.Text;

namespace UsernsTools.Display;

/// <summary>
/// Makes text safe to put on a terminal: control characters (C0, DEL, C1), bidirectional overrides and
/// Unicode line separators become visible escapes (<c>\e</c>, <c>\n</c>, <c>\x07</c>, <c>\u202E</c>). Text read
/// from logs or from other processes (a process name any local user can set, an audit record's hex-decoded
/// exe) could otherwise move the cursor, ring the bell, retitle the window or forge an output line. Every text
/// writer of both front ends, and every engine error message (which often quotes input), goes through here; JSON
/// escapes on its own and does not.
/// </summary>
public static class TerminalText
{
    /// <summary>One field, on one line: every control character is escaped, line breaks and tabs too.</summary>
    public static string? Escape(string? text) => Escape(text, keepLines: false);

    /// <summary>
    /// Several lines of our own making (a report, a message): line feeds and tabs stay as they are; every other
    /// control character is escaped.
    /// </summary>
    public static string? EscapeKeepingLines(string? text) => Escape(text, keepLines: true);

    /// <summary>Whether <paramref name="c"/> would act on a terminal rather than show.</summary>
    public static bool NeedsEscape(char c) =>
        char.IsControl(c)
        || c is '\u2028' or '\u2029'
        || c is '\u200E' or '\u200F'
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069';

    private static string? Escape(string? text, bool keepLines)
    {
        if (text is null)
        {
            return null;
        }

        var first = IndexOfEscape(text, keepLines);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            Append(escaped, text[i], keepLines);
        }

        return escaped.ToString();
    }

    /// <summary>Appends <paramref name="c"/>, escaped when it needs it (the writer that wraps a whole stream uses this).</summary>
    public static void Append(StringBuilder escaped, char c, bool keepLines)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        if (!NeedsEscape(c) || (keepLines && c is '\n' or '\t'))
        {
            escaped.Append(c);
            return;
        }

        escaped.Append(c switch
        {
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u001b' => "\\e",
            < '\u0100' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
            _ => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
        });
    }

    // C0 and DEL with C1 (char.IsControl), the left-to-right and right-to-left marks, the line and paragraph
    // separators, the embeddings and overrides, and the isolates.
    private static readonly (char First, char Last)[] s_escapedRanges =
    {
        ('\u0000', '\u001F'), ('\u007F', '\u009F'), ('\u200E', '\u200F'), ('\u2028', '\u2029'), ('\u202A', '\u202E'), ('\u2066', '\u2069'),
    };

    // Every character NeedsEscape accepts, without and with the line feed and tab a report keeps: searched a vector at a
    // time, as a cold status writes its whole report (tens of kilobytes of JSON) through here.
    private static readonly SearchValues<char> s_escaped = SearchValues.Create(EscapedChars(keepLines: false));
    private static readonly SearchValues<char> s_escapedKeepingLines = SearchValues.Create(EscapedChars(keepLines: true));

    /// <summary>The characters <see cref="NeedsEscape"/> accepts, by range (a test holds the two to each other).</summary>
    internal static string EscapedChars(bool keepLines)
    {
        var chars = new StringBuilder();
        foreach (var (first, last) in s_escapedRanges)
        {
            for (var c = first; c <= last; c++)
            {
                if (!(keepLines && c is '\n' or '\t'))
                {
                    chars.Append(c);
                }
            }
        }

        return chars.ToString();
    }

    private static int IndexOfEscape(string text, bool keepLines)
        => text.AsSpan().IndexOfAny(keepLines ? s_escapedKeepingLines : s_escaped);
}
