using System.Text;

namespace UsernsTools.Facts.Denials;

/// <summary>
/// Splits an audit record into <c>key=value</c> fields. Values come double-quoted, single-quoted, or bare; the kernel
/// writes untrusted strings (comm, name, profile...) as bare upper-case hex when they hold spaces, quotes or
/// non-ASCII bytes. Total: any text gives some fields and never throws.
/// </summary>
internal static class AuditFieldReader
{
    public static List<AuditField> Read(string text, int start = 0)
    {
        var fields = new List<AuditField>();
        var i = Math.Max(0, start);
        while (i < text.Length)
        {
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            var keyStart = i;
            while (i < text.Length && text[i] != ' ' && text[i] != '=')
            {
                i++;
            }

            if (i >= text.Length || text[i] != '=' || i == keyStart)
            {
                // A bare word (avc:, denied, {, create, }): not a field.
                while (i < text.Length && text[i] != ' ')
                {
                    i++;
                }

                continue;
            }

            var key = text[keyStart..i];
            i++;
            if (i < text.Length && text[i] is '"' or '\'')
            {
                var quote = text[i];
                var close = text.IndexOf(quote, i + 1);
                var end = close < 0 ? text.Length : close;
                fields.Add(new AuditField(key, text[(i + 1)..end], true));
                i = close < 0 ? text.Length : close + 1;
            }
            else
            {
                var valueStart = i;
                while (i < text.Length && text[i] != ' ')
                {
                    i++;
                }

                fields.Add(new AuditField(key, text[valueStart..i], false));
            }
        }

        return fields;
    }

    /// <summary>The first field named <paramref name="key"/>, as text: quoted values as written, bare hex decoded when <paramref name="untrusted"/>.</summary>
    public static string? Get(List<AuditField> fields, string key, bool untrusted = false)
    {
        foreach (var field in fields)
        {
            if (string.Equals(field.Key, key, StringComparison.Ordinal))
            {
                return untrusted && !field.Quoted && TryDecodeHex(field.Value, out var decoded) ? decoded : field.Value;
            }
        }

        return null;
    }

    /// <summary>Bare upper-case hex of even length, as the kernel writes untrusted strings, decoded as UTF-8.</summary>
    public static bool TryDecodeHex(string value, out string decoded)
    {
        decoded = "";
        if (value.Length == 0 || value.Length % 2 != 0)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'A' and <= 'F'))
            {
                return false;
            }
        }

        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromHexString(value));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
