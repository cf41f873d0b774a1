namespace UsernsTools.Facts.Denials;

/// <summary>
/// The kernel ring buffer kept open for the life of the process, for a process that asks for the recent denials again
/// and again (a PowerShell session): an open descriptor of /dev/kmsg goes on from the last record it returned, so each
/// read parses only what the kernel logged since the read before, and the denials found are kept, the newest
/// <see cref="Kept"/> of them. The kernel formats every record it hands out, which is most of a whole read's cost.
/// </summary>
internal sealed class RingBufferCursor
{
    /// <summary>How many of the denials read so far are kept: as many as a status quotes.</summary>
    public const int Kept = RecentDenialReader.MaxDenials;

    private static readonly Dictionary<string, RingBufferCursor> s_open = new(StringComparer.Ordinal);

    private readonly KmsgStream _stream;
    private readonly Queue<UsernsDenial> _denials = new(Kept);

    private RingBufferCursor(KmsgStream stream) => _stream = stream;

    /// <summary>
    /// The kept denials of <paramref name="path"/> with those <paramref name="scan"/> finds in the records logged since
    /// the last read (all of them the first time), oldest first; null when the device cannot be opened. Calls are
    /// serialised. A failed read closes the device, and the next call starts again from the oldest record.
    /// </summary>
    public static IReadOnlyList<UsernsDenial>? Read(string path, Func<Stream, IEnumerable<UsernsDenial>> scan)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(scan);
        lock (s_open)
        {
            if (!s_open.TryGetValue(path, out var cursor))
            {
                if (KmsgStream.TryOpen(path, out _) is not { } stream)
                {
                    return null;
                }

                cursor = new RingBufferCursor(stream);
                s_open.Add(path, cursor);
            }

            try
            {
                cursor._stream.Resume();
                foreach (var denial in scan(cursor._stream))
                {
                    if (cursor._denials.Count == Kept)
                    {
                        cursor._denials.Dequeue();
                    }

                    cursor._denials.Enqueue(denial);
                }
            }
            catch (Exception)
            {
                s_open.Remove(path);
                cursor._stream.Dispose();
                throw;
            }

            return cursor._denials.ToArray();
        }
    }

    /// <summary>Closes the device of <paramref name="path"/> if it is open: the next read starts from the oldest record.</summary>
    public static void Close(string path)
    {
        lock (s_open)
        {
            if (s_open.Remove(path, out var cursor))
            {
                cursor._stream.Dispose();
            }
        }
    }
}
