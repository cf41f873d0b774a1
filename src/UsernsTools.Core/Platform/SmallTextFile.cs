using System.Buffers;
using System.Text;

namespace UsernsTools.Platform;

/// <summary>
/// Reads a whole small text file (a /proc or /sys value, a file under /etc) as <see cref="File.ReadAllText(string)"/>
/// does, through one pooled buffer: a status reads dozens of them at a cold start, and the reader, stream and
/// buffers ReadAllText allocates for each are fresh memory (page faults) every time.
/// </summary>
internal static class SmallTextFile
{
    private const int InitialBuffer = 16 * 1024;

    /// <exception cref="IOException">The file is missing or cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be opened, or is a directory.</exception>
    public static string Read(string path)
    {
        // Opened as ReadAllText opens it (read access, others may read): the same errors for the same files.
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
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

                // The offset is ignored for what cannot seek (a pipe, a character device): those are read in order.
                var read = RandomAccess.Read(handle, buffer.AsSpan(filled), filled);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            return Decode(buffer.AsSpan(0, filled)) ?? File.ReadAllText(path);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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
