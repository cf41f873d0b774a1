namespace UsernsTools.Configuration;

/// <summary>The state of one target before a change: a file's bytes, mode, owner and extended attributes (or absence), or a runtime value.</summary>
internal sealed class JournalEntry
{
    public JournalEntryKind Kind { get; set; }

    /// <summary>File path, or /proc/sys path for runtime values, on the machine.</summary>
    public string Target { get; set; } = "";

    public string? Setting { get; set; }

    /// <summary>Whether the file existed (for AppArmorLoad: whether the profile file existed).</summary>
    public bool Existed { get; set; }

    /// <summary>The previous bytes, base64.</summary>
    public string? Content { get; set; }

    public int Mode { get; set; }

    public long Uid { get; set; }

    public long Gid { get; set; }

    /// <summary>
    /// The previous extended attributes, name to base64 value; null in records written before they were recorded,
    /// whose restore keeps the attributes the file has then.
    /// </summary>
    public Dictionary<string, string>? ExtendedAttributes { get; set; }

    /// <summary>The previous runtime value.</summary>
    public string? Value { get; set; }

    /// <summary>apparmor_parser as found when the change was made.</summary>
    public string? Parser { get; set; }

    public static JournalEntry ForFile(string target, FileSnapshot previous) => new()
    {
        Kind = JournalEntryKind.File,
        Target = target,
        Existed = previous.Exists,
        Content = previous.Exists ? Convert.ToBase64String(previous.Content) : null,
        Mode = previous.Mode,
        Uid = previous.Uid,
        Gid = previous.Gid,
        ExtendedAttributes = previous.Exists && previous.ExtendedAttributes is { } attributes
            ? attributes.ToDictionary(a => a.Key, a => Convert.ToBase64String(a.Value), StringComparer.Ordinal)
            : null,
    };

    public FileSnapshot ToSnapshot() => Existed
        ? new FileSnapshot(
            true,
            Convert.FromBase64String(Content ?? ""),
            Mode,
            Uid,
            Gid,
            ExtendedAttributes?.Select(a => new KeyValuePair<string, byte[]>(a.Key, Convert.FromBase64String(a.Value))).ToList())
        : FileSnapshot.Absent;
}
