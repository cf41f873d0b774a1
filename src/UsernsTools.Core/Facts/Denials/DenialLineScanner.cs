using System.Buffers;
using System.Text;

namespace UsernsTools.Facts.Denials;

/// <summary>
/// Streams the lines of a log that may be about user namespaces. Reads bytes through one fixed buffer and looks
/// for cheap markers with vectorised span searches before decoding anything, so a large log is scanned at
/// memory speed and memory use does not grow with the file.
/// </summary>
internal static class DenialLineScanner
{
    public const int DefaultBufferSize = 1 << 20;

    /// <summary>
    /// Substrings without which a line cannot be a user namespace event: AppArmor and SELinux userns events name
    /// userns or user_namespace (or the map files), seccomp events are type=1326 in the kernel log and SECCOMP in audit.log.
    /// </summary>
    private static readonly byte[][] s_markers =
    {
        "userns"u8.ToArray(),
        "user_namespace"u8.ToArray(),
        "uid_map"u8.ToArray(),
        "gid_map"u8.ToArray(),
        "setgroups"u8.ToArray(),
        "type=1326"u8.ToArray(),
        "SECCOMP"u8.ToArray(),
    };

    /// <summary>The candidate lines of <paramref name="stream"/>, decoded as UTF-8, in order.</summary>
    public static IEnumerable<string> CandidateLines(Stream stream, CancellationToken cancellationToken, int bufferSize = DefaultBufferSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bufferSize, 4096));
        try
        {
            var filled = 0;
            var skipToNewline = false;
            var next = new int[s_markers.Length];
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var read = stream.Read(buffer, filled, buffer.Length - filled);
                var atEnd = read == 0;
                filled += read;
                if (filled == 0)
                {
                    yield break;
                }

                // Complete lines end at the last newline; at the end of the stream the rest is a line too.
                var data = buffer.AsSpan(0, filled);
                var lastNewline = data.LastIndexOf((byte)'\n');
                int complete;
                if (atEnd)
                {
                    complete = filled;
                }
                else if (lastNewline >= 0)
                {
                    complete = lastNewline + 1;
                }
                else if (filled == buffer.Length)
                {
                    // A line longer than the buffer: scan what we have and drop the rest of that line.
                    complete = filled;
                }
                else
                {
                    continue;
                }

                var start = 0;
                if (skipToNewline)
                {
                    var newline = buffer.AsSpan(0, complete).IndexOf((byte)'\n');
                    start = newline < 0 ? complete : newline + 1;
                    skipToNewline = newline < 0;
                }

                foreach (var (lineStart, lineLength) in Candidates(buffer, start, complete, next))
                {
                    yield return Encoding.UTF8.GetString(buffer, lineStart, lineLength).TrimEnd('\r');
                }

                if (!atEnd && lastNewline < 0 && filled == buffer.Length)
                {
                    skipToNewline = true;
                }

                // Keep the incomplete last line for the next read.
                var rest = filled - complete;
                if (rest > 0)
                {
                    Buffer.BlockCopy(buffer, complete, buffer, 0, rest);
                }

                filled = rest;
                if (atEnd)
                {
                    yield break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Start and length of each line in buffer[from..to) holding a marker.</summary>
    private static List<(int Start, int Length)> Candidates(byte[] buffer, int from, int to, int[] next)
    {
        var found = new List<(int, int)>();
        var window = buffer.AsSpan(0, to);
        for (var m = 0; m < s_markers.Length; m++)
        {
            next[m] = Find(window, from, m);
        }

        var pos = from;
        while (true)
        {
            var hit = int.MaxValue;
            foreach (var position in next)
            {
                hit = Math.Min(hit, position);
            }

            if (hit == int.MaxValue)
            {
                return found;
            }

            var lineStart = hit == 0 ? 0 : window[..hit].LastIndexOf((byte)'\n') + 1;
            lineStart = Math.Max(lineStart, pos);
            var newline = window[hit..].IndexOf((byte)'\n');
            var lineEnd = newline < 0 ? to : hit + newline;
            found.Add((lineStart, lineEnd - lineStart));
            pos = lineEnd + 1;
            if (pos >= to)
            {
                return found;
            }

            // Only markers that fell inside the line just taken need searching again.
            for (var m = 0; m < s_markers.Length; m++)
            {
                if (next[m] < pos)
                {
                    next[m] = Find(window, pos, m);
                }
            }
        }
    }

    private static int Find(ReadOnlySpan<byte> window, int from, int marker)
    {
        var at = window[from..].IndexOf(s_markers[marker]);
        return at < 0 ? int.MaxValue : from + at;
    }

    /// <summary>Whether a line holds any marker (for callers that already have lines, e.g. journalctl output).</summary>
    public static bool HasMarker(ReadOnlySpan<byte> line)
    {
        foreach (var marker in s_markers)
        {
            if (line.IndexOf(marker) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
