using System.Text;

namespace UsernsTools.Platform;

/// <summary>
/// This process's own argv and environment as the kernel holds them: bytes. .NET decodes both as UTF-8 and
/// replaces what does not decode with U+FFFD, so a word or variable that is not UTF-8 cannot be passed on
/// unchanged through a string; these find such words so that the caller can refuse rather than corrupt them.
/// </summary>
internal static class ProcessBytes
{
    private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The words of /proc/self/cmdline that are not valid UTF-8, shown with their bytes escaped (<c>caf\xe9</c>).</summary>
    public static IReadOnlyList<string> NonUtf8Arguments() =>
        Split(Read("/proc/self/cmdline")).Where(w => !IsUtf8(w)).Select(Show).ToList();

    /// <summary>Printable ASCII as it is, every other byte as <c>\xHH</c>: what the user typed, whatever its encoding.</summary>
    public static string Show(byte[] word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var text = new StringBuilder(word.Length);
        foreach (var b in word)
        {
            if (b is >= 0x20 and < 0x7f && b != (byte)'\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The names (as .NET decoded them) of inherited variables whose name or value is not valid UTF-8 and that
    /// still hold the inherited value: a variable set since start-up holds a string and passes on as it is.
    /// </summary>
    public static IReadOnlyList<string> NonUtf8InheritedVariables()
    {
        var names = new List<string>();
        foreach (var entry in Split(Read("/proc/self/environ")))
        {
            if (IsUtf8(entry))
            {
                continue;
            }

            var text = Encoding.UTF8.GetString(entry);
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var name = text[..equals];
            if (string.Equals(System.Environment.GetEnvironmentVariable(name), text[(equals + 1)..], StringComparison.Ordinal))
            {
                names.Add(name);
            }
        }

        return names;
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
