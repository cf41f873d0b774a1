using System.Text.Json.Serialization;

namespace UsernsTools.Configuration;

/// <summary>
/// One run's record on disk (/var/lib/usernstools/backups/ID.json): written and fsynced as Incomplete before the
/// first change, marked Complete after the last, so a crash in between is visible and can be rolled back.
/// </summary>
internal sealed class JournalRecord
{
    public int FormatVersion { get; set; } = 1;

    public string Id { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string Operation { get; set; } = "";

    public BackupState State { get; set; }

    public string? RestoresBackupId { get; set; }

    public string? RestoredBy { get; set; }

    /// <summary>Process that made the change, to tell an interrupted run in the report.</summary>
    public int ProcessId { get; set; }

    public List<JournalEntry> Entries { get; set; } = new();

    public List<UsernsChange> Changes { get; set; } = new();

    /// <summary>Why the record's file could not be read (it then stands in the list with only its id); null for a good record.</summary>
    [JsonIgnore]
    public string? Unreadable { get; set; }
}
