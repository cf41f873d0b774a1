using UsernsTools.Platform;

namespace UsernsTools.Facts.Denials;

/// <summary>Which logs to read for user namespace denials, and from when.</summary>
internal sealed record DenialQuery
{
    /// <summary>-Path: read these files (plain or gzip) instead of the machine's logs.</summary>
    public IReadOnlyList<string> Paths { get; init; } = Array.Empty<string>();

    /// <summary>-Since: skip events older than this (events without a time are kept).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>File-system root of the machine (default <c>/</c>); below another root only log files are read.</summary>
    public string Root { get; init; } = "/";

    /// <summary>Called for each source that could not be read or was skipped; may be null.</summary>
    public Action<DenialSourceNotice>? Notify { get; init; }

    /// <summary>PATH to find journalctl and dmesg on; the process's PATH when null.</summary>
    public string? SearchPath { get; init; }

    /// <summary>Whether to ask journalctl, /dev/kmsg and dmesg; by default only when <see cref="Root"/> is <c>/</c>.</summary>
    public bool? UseLiveKernelLog { get; init; }

    /// <summary>The kernel ring buffer device.</summary>
    public string KmsgPath { get; init; } = KernelLog.DevicePath;

    /// <summary>Folders whose existence means there is a systemd journal to ask.</summary>
    public IReadOnlyList<string> JournalDirectories { get; init; } = new[] { "/var/log/journal", "/run/log/journal" };

    /// <summary>
    /// Read only the live kern.log and audit.log, not their rotations: a status wants recent evidence quickly, and the
    /// rotations hold the history.
    /// </summary>
    public bool CurrentFilesOnly { get; init; }

    /// <summary>
    /// Read the kernel ring buffer (/dev/kmsg) before the journal when it can be opened: it holds the newest
    /// messages, which is all a status needs, and costs no journalctl start.
    /// </summary>
    public bool PreferRingBuffer { get; init; }

    /// <summary>
    /// Keep the ring buffer open for the life of the process, and read only the records logged since the last such
    /// read (see <see cref="RingBufferCursor"/>): for the recent denials of the live machine, which a PowerShell
    /// session may ask for at every status. The denials already found are kept, so <see cref="Since"/> still applies.
    /// </summary>
    public bool KeepRingBufferOpen { get; init; }

    /// <summary>When set, read at most the last this many bytes of each plain log file (from the first whole line).</summary>
    public long? TailBytes { get; init; }

    /// <summary>Size of the read buffer; memory use stays at about this whatever the log size.</summary>
    public int BufferSize { get; init; } = DenialLineScanner.DefaultBufferSize;
}
