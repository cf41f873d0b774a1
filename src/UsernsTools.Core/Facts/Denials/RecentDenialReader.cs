using UsernsTools.Diagnosis;
using UsernsTools.Platform;

namespace UsernsTools.Facts.Denials;

/// <summary>
/// The denials a status quotes as evidence: the last day, at most <see cref="MaxDenials"/>, read cheaply (journalctl -k
/// --since, the ring buffer, or the end of the current kern.log and audit.log; never the rotated history). A log
/// closed to the caller is a note, not an error: a status must work for non-root users too.
/// </summary>
internal static class RecentDenialReader
{
    public const int MaxDenials = 50;

    /// <summary>How far back a status looks.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>How much of the end of each log file is read; a day of userns events fits many times over.</summary>
    public const long TailBytes = 4L << 20;

    /// <summary>The recent denials of <paramref name="where"/>'s logs (its root, or its files); its time and bounds are set here.</summary>
    public static RecentDenials Read(DenialQuery where, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(where);
        var notes = new List<string>();
        var query = where with
        {
            Since = now - Window,
            CurrentFilesOnly = true,
            PreferRingBuffer = true,
            TailBytes = TailBytes,
            Notify = notice =>
            {
                // Missing sources (no auditd, no journal) are normal; only what could not be read is worth saying.
                if (notice.Severity != Severity.Info)
                {
                    notes.Add(notice.Message);
                }
            },
        };

        var recent = new Queue<UsernsDenial>(MaxDenials);
        try
        {
            foreach (var denial in DenialLogReader.Read(query, cancellationToken))
            {
                if (recent.Count == MaxDenials)
                {
                    recent.Dequeue();
                }

                recent.Enqueue(denial);
            }
        }
        catch (UsernsException ex)
        {
            // Its message already lists every source that failed.
            notes.Clear();
            notes.Add(ex.Message);
        }

        // The kernel log and audit.log are read one after the other: order by time so "newest last" holds across them.
        var ordered = recent.OrderBy(d => d.Time ?? DateTimeOffset.MinValue).ToArray();
        return new RecentDenials(ordered, notes.Distinct(StringComparer.Ordinal).ToArray());
    }
}
