using System.Text;

namespace UsernsTools.Facts;

/// <summary>
/// Finds the version string a tool's build compiled in (util-linux and bubblewrap embed
/// <c>"util-linux 2.38.1"</c> and <c>"bubblewrap 0.8.0"</c> as NUL-terminated strings), so the version is
/// known without starting the program: faster than <c>--version</c>, and nothing is executed.
/// </summary>
internal static class EmbeddedVersion
{
    /// <summary>Namespace tools are well under this; a larger file is not one of them.</summary>
    private const long MaxFileSize = 16 * 1024 * 1024;

    /// <summary>The string that precedes the version in each tool's binary.</summary>
    public static string? MarkerFor(string toolName) => toolName switch
    {
        "unshare" or "setpriv" => "util-linux ",
        "bwrap" => "bubblewrap ",
        _ => null,
    };

    /// <summary>The version after <paramref name="marker"/> in <paramref name="file"/>, or null when absent or unreadable.</summary>
    public static string? Find(string file, string marker)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(marker);
        byte[] bytes;
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists || info.Length > MaxFileSize)
            {
                return null;
            }

            bytes = File.ReadAllBytes(file);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return Find(bytes, marker);
    }

    /// <summary>The first <c>marker</c> followed by a dotted number and a NUL byte.</summary>
    public static string? Find(ReadOnlySpan<byte> bytes, string marker)
    {
        var needle = Encoding.ASCII.GetBytes(marker);
        var offset = 0;
        while (offset < bytes.Length)
        {
            var at = bytes[offset..].IndexOf(needle);
            if (at < 0)
            {
                return null;
            }

            var start = offset + at + needle.Length;
            var end = start;
            while (end < bytes.Length && (char.IsAsciiDigit((char)bytes[end]) || bytes[end] == (byte)'.'))
            {
                end++;
            }

            // "util-linux 2.38.1\0": digits first, at least one dot, then the string's end.
            if (end > start && end < bytes.Length && bytes[end] == 0 && char.IsAsciiDigit((char)bytes[start]) && bytes[start..end].Contains((byte)'.'))
            {
                return Encoding.ASCII.GetString(bytes[start..end]).TrimEnd('.');
            }

            offset = start;
        }

        return null;
    }
}
