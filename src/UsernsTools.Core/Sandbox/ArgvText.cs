using System.Text;

namespace UsernsTools.Sandbox;

/// <summary>
/// An argv as a person reads it (what -WhatIf and verbose messages show): each word quoted for a POSIX shell
/// only when it needs it. For display: the runner never hands this string to a shell.
/// </summary>
internal static class ArgvText
{
    public static string Join(IEnumerable<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        return string.Join(' ', argv.Select(Quote));
    }

    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length > 0 && word.All(IsPlain))
        {
            return word;
        }

        // Inside single quotes everything is literal except the quote itself, which is closed, escaped and reopened.
        var text = new StringBuilder(word.Length + 2).Append('\'');
        foreach (var c in word)
        {
            text.Append(c == '\'' ? "'\\''" : c.ToString());
        }

        return text.Append('\'').ToString();
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ',' or ':' or '=' or '+' or '@' or '%';
}
