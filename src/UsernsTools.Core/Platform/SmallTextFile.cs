using System.Buffers;
using System.Text;

namespace UsernsTools.Platform;

/// <summary>
/// Reads a whole small text file (a /proc or /sys value, a file under /etc) as <see cref="File.ReadAllText(string)"/>
/// decodes it, through one pooled buffer and plain open(2) and read(2): a status reads dozens of them at a cold start,
/// and the reader, stream and buffers ReadAllText allocates for each are fresh memory (page faults) every time. A file
/// that is missing or cannot be read is a null, not an exception: several always are (one security module's files, or
/// another's), and a thrown exception costs a native command more than reading the file would.
/// </summary>
internal static class SmallTextFile
{
    private const int InitialBuffer = 16 * 1024;

    /// <summary>The file's text; null when it is missing, may not be read, is a directory, or fails to read.</summary>
    public static string? TryRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fd = PosixNative.OpenForReading(path, out _);
        if (fd < 0)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            var filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = PosixNative.Read(fd, buffer, filled, buffer.Length - filled, out var errno);
                if (read < 0 && errno == PosixNative.EINTR)
                {
                    continue;
                }

                if (read < 0)
                {
                    // EISDIR for a directory, EIO and the like: unreadable, as ReadAllText would have thrown.
                    return null;
                }

                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            return Decode(buffer.AsSpan(0, filled)) ?? ReadOtherEncoding(path);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            PosixNative.Close(fd);
        }
    }

    // What only ReadAllText decodes (a UTF-16 or UTF-32 byte order mark), with its failures as a null too.
    private static string? ReadOtherEncoding(string path)
    {
        try
        {
            return File.ReadAllText(path);
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
    /// UTF-8 text without its byte order mark, as ReadAllText decodes it; null for a UTF-16 or UTF-32 byte order mark,
    /// which ReadAllText itself then reads (nothing this project reads is written so).
    /// </summary>
    internal static string? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes is [0xFE, 0xFF, ..] or [0xFF, 0xFE, ..] or [0x00, 0x00, 0xFE, 0xFF, ..])
        {
            return null;
        }

        return Encoding.UTF8.GetString(bytes is [0xEF, 0xBB, 0xBF, ..] ? bytes[3..] : bytes);
    }
}
