using System.Text;

namespace UsernsTools.Platform;

/// <summary>
/// This process's own argv and environment as the kernel holds them: bytes. .NET decodes both as UTF-8 and
/// replaces what does not decode with U+FFFD; these find the bytes behind the strings again, so that a word or
/// variable that is not UTF-8 can be passed on unchanged.
/// </summary>
internal static class ProcessBytes
{
    private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The bytes of the last <paramref name="words"/>.Count words of /proc/self/cmdline, which are those words as .NET
    /// decoded them: counted from the end, since what comes before differs (an apphost, or dotnet and the dll). Null
    /// when any of them does not decode to its word (the argv was rewritten since start-up), so the caller keeps the strings.
    /// </summary>
    public static IReadOnlyList<byte[]>? TrailingArguments(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var all = Split(Read("/proc/self/cmdline"));
        if (words.Count > all.Count)
        {
            return null;
        }

        var trailing = all.GetRange(all.Count - words.Count, words.Count);
        for (var i = 0; i < words.Count; i++)
        {
            if (!string.Equals(Encoding.UTF8.GetString(trailing[i]), words[i], StringComparison.Ordinal))
            {
                return null;
            }
        }

        return trailing;
    }

    /// <summary>
    /// The bytes behind an option value .NET decoded as <paramref name="value"/>, given as its own word or as
    /// <c>option=value</c>: null when no word of /proc/self/cmdline is that value in bytes that are not UTF-8 (the
    /// value is then its UTF-8 encoding).
    /// </summary>
    public static byte[]? OptionValue(string option, string value)
    {
        ArgumentNullException.ThrowIfNull(option);
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains('\uFFFD', StringComparison.Ordinal))
        {
            return null;
        }

        // The option's name is ASCII, so its prefix in bytes is as long as in characters.
        var prefix = option + "=";
        foreach (var word in Split(Read("/proc/self/cmdline")))
        {
            if (IsUtf8(word))
            {
                continue;
            }

            var text = Encoding.UTF8.GetString(word);
            if (string.Equals(text, value, StringComparison.Ordinal))
            {
                return word;
            }

            if (string.Equals(text, prefix + value, StringComparison.Ordinal))
            {
                return word[prefix.Length..];
            }
        }

        return null;
    }

    /// <summary>
    /// The inherited variables whose bytes are not UTF-8, by name as .NET decoded it: the whole <c>NAME=VALUE</c>
    /// entry, and the value .NET made of it. A variable whose value differs from that now was set since start-up.
    /// </summary>
    public static IReadOnlyDictionary<string, (string Value, byte[] Entry)> NonUtf8InheritedVariables()
    {
        var variables = new Dictionary<string, (string Value, byte[] Entry)>(StringComparer.Ordinal);
        foreach (var entry in Split(Read("/proc/self/environ")))
        {
            if (IsUtf8(entry))
            {
                continue;
            }

            var text = Encoding.UTF8.GetString(entry);
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                variables.TryAdd(text[..equals], (text[(equals + 1)..], entry));
            }
        }

        return variables;
    }

    /// <summary>Whether <paramref name="text"/> has a lone surrogate, which no UTF-8 encoder can pass on unchanged.</summary>
    public static bool HasLoneSurrogate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool IsUtf8(byte[] bytes)
    {
        try
        {
            _ = s_strict.GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static byte[] Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return Array.Empty<byte>();
        }
        catch (UnauthorizedAccessException)
        {
            return Array.Empty<byte>();
        }
    }

    private static List<byte[]> Split(byte[] block)
    {
        var words = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < block.Length; i++)
        {
            if (block[i] == 0)
            {
                words.Add(block[start..i]);
                start = i + 1;
            }
        }

        if (start < block.Length)
        {
            words.Add(block[start..]);
        }

        return words;
    }
}
