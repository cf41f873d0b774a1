namespace UsernsTools.Facts.Denials;

/// <summary>
/// What a line alone does not say: when the machine booted (dmesg and /dev/kmsg count from boot) and which year
/// a syslog date without one belongs to. Lines with an audit stamp need neither.
/// </summary>
internal sealed record DenialParseContext
{
    public DateTimeOffset? BootTime { get; init; }

    /// <summary>Year for syslog dates (<c>Nov 22 08:00:00</c>); the current year when null.</summary>
    public int? Year { get; init; }

    /// <summary>Time zone of syslog dates; the local zone when null.</summary>
    public TimeZoneInfo? Zone { get; init; }
}
