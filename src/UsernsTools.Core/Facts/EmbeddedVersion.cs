using System.Buffers;
using System.Text;
using Microsoft.Win32.SafeHandles;
using UsernsTools.Platform;

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

    /// <summary>How much of the file is searched at a time.</summary>
    internal const int ChunkSize = 64 * 1024;

    /// <summary>The version after <paramref name="marker"/> in <paramref name="file"/>, or null when absent or unreadable.</summary>
    public static string? Find(string file, string marker)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(marker);

        // Opened with open(2) alone: File.OpenHandle adds an fstat and a pair of flock calls, for each tool of every status.
        var fd = PosixNative.OpenForReading(file, out _);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            using var handle = new SafeFileHandle(fd, ownsHandle: true);
            return RandomAccess.GetLength(handle) > MaxFileSize ? null : Find(handle, marker, ChunkSize);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The same answer as <see cref="Find(ReadOnlySpan{byte}, string)"/> over the whole file, read <paramref name="chunkSize"/>
    /// bytes at a time into one pooled buffer: a binary is read once and never held whole, which at a cold start
    /// spares the fresh memory (page faults) of a copy of each tool.
    /// </summary>
    internal static string? Find(SafeFileHandle handle, string marker, int chunkSize)
    {
        var needle = Encoding.ASCII.GetBytes(marker);
        var buffer = ArrayPool<byte>.Shared.Rent(chunkSize + needle.Length);
        try
        {
            long offset = 0;
            var kept = 0;
            while (true)
            {
                if (buffer.Length - kept < chunkSize)
                {
                    // A candidate longer than a chunk (digits without end) is kept whole: grow rather than cut it.
                    var larger = ArrayPool<byte>.Shared.Rent(kept + chunkSize);
                    buffer.AsSpan(0, kept).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = RandomAccess.Read(handle, buffer.AsSpan(kept, chunkSize), offset);
                offset += read;
                var filled = kept + read;
                var atEnd = read == 0;
                var (version, resumeAt) = Scan(buffer.AsSpan(0, filled), needle, atEnd);
                if (version is not null || atEnd)
                {
                    return version;
                }

                // Keep what may still become a match (a candidate cut by the chunk's end, or a marker's first bytes).
                kept = filled - resumeAt;
                buffer.AsSpan(resumeAt, kept).CopyTo(buffer);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The first match in <paramref name="window"/>; when there is none, where the next window must start so that
    /// nothing that could still match is lost (everything is settled when <paramref name="atEnd"/>).
    /// </summary>
    private static (string? Version, int ResumeAt) Scan(ReadOnlySpan<byte> window, byte[] needle, bool atEnd)
    {
        var offset = 0;
        while (offset < window.Length)
        {
            var at = window[offset..].IndexOf(needle);
            if (at < 0)
            {
                break;
            }

            var start = offset + at + needle.Length;
            var end = start;
            while (end < window.Length && (char.IsAsciiDigit((char)window[end]) || window[end] == (byte)'.'))
            {
                end++;
            }

            if (end == window.Length && !atEnd)
            {
                // Cut by the window's end: decided with the bytes that follow.
                return (null, offset + at);
            }

            if (IsVersion(window, start, end))
            {
                return (Encoding.ASCII.GetString(window[start..end]).TrimEnd('.'), window.Length);
            }

            offset = start;
        }

        return (null, Math.Max(offset, window.Length - (needle.Length - 1)));
    }

    // "util-linux 2.38.1\0": digits first, at least one dot, then the string's end.
    private static bool IsVersion(ReadOnlySpan<byte> bytes, int start, int end)
        => end > start && end < bytes.Length && bytes[end] == 0 && char.IsAsciiDigit((char)bytes[start]) && bytes[start..end].Contains((byte)'.');

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

            if (IsVersion(bytes, start, end))
            {
                return Encoding.ASCII.GetString(bytes[start..end]).TrimEnd('.');
            }

            offset = start;
        }

        return null;
    }
}
