using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using UsernsTools.Platform;
using UsernsTools.Serialization;

namespace UsernsTools.Configuration;

/// <summary>The backup records under /var/lib/usernstools/backups (below the root).</summary>
internal sealed class Journal
{
    private const int RecordMode = 0x180; // 0600: records hold copies of configuration files

    private readonly string _root;

    public Journal(string root)
    {
        _root = root ?? throw new ArgumentNullException(nameof(root));
    }

    /// <summary>Writes a new Incomplete record holding the previous state of every target; durable before returning.</summary>
    public JournalRecord Begin(string operation, IReadOnlyList<JournalEntry> entries, IReadOnlyList<UsernsChange> planned, string? restoresBackupId, DateTimeOffset now)
    {
        var record = new JournalRecord
        {
            Id = NewId(now),
            CreatedAt = now,
            Operation = operation,
            State = BackupState.Incomplete,
            RestoresBackupId = restoresBackupId,
            ProcessId = Environment.ProcessId,
            Entries = entries.ToList(),
            Changes = planned.ToList(),
        };
        Save(record);
        return record;
    }

    public void Save(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(record, UsernsJsonContext.Default.JournalRecord);
        AtomicFile.Write(_root, PathOf(record.Id), bytes, RecordMode);
    }

    /// <summary>All records, oldest first. Unreadable records are reported as Incomplete rather than hidden.</summary>
    public IReadOnlyList<JournalRecord> List()
    {
        var directory = ContainedPath.Resolve(_root, ManagedPaths.BackupsDir, includeLast: true);
        if (!Directory.Exists(directory))
        {
            return Array.Empty<JournalRecord>();
        }

        var records = new List<JournalRecord>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json"))
        {
            var id = Path.GetFileNameWithoutExtension(file);
            records.Add(Load(id) ?? new JournalRecord { Id = id, State = BackupState.Incomplete, Operation = "(unreadable record)" });
        }

        return records.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    public JournalRecord? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            throw new UsernsException("InvalidBackupId", UsernsErrorCategory.InvalidArgument, $"'{id}' is not a backup id (see Get-UsernsBackup).", id);
        }

        return Load(id);
    }

    public static string PathOf(string id) => ManagedPaths.BackupsDir + "/" + id + ".json";

    public static UsernsBackup ToBackup(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new UsernsBackup
        {
            BackupId = record.Id,
            CreatedAt = record.CreatedAt,
            Operation = record.Operation,
            State = record.State,
            Targets = record.Entries.Select(e => e.Target).Distinct(StringComparer.Ordinal).ToList(),
            Changes = record.Changes.Select(c => WithBackupId(c, record.Id)).ToList(),
            RestoresBackupId = record.RestoresBackupId,
            RestoredBy = record.RestoredBy,
            Path = PathOf(record.Id),
        };
    }

    private static UsernsChange WithBackupId(UsernsChange change, string id) => change.BackupId == id ? change : new UsernsChange
    {
        Target = change.Target,
        Kind = change.Kind,
        Setting = change.Setting,
        File = change.File,
        Before = change.Before,
        After = change.After,
        Scope = change.Scope,
        Status = change.Status,
        BackupId = id,
        RequiresReboot = change.RequiresReboot,
        Description = change.Description,
    };

    private JournalRecord? Load(string id)
    {
        try
        {
            var snapshot = AtomicFile.Read(_root, PathOf(id));
            if (!snapshot.Exists)
            {
                return null;
            }

            return JsonSerializer.Deserialize(snapshot.Content, UsernsJsonContext.Default.JournalRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Sortable by time, unique across concurrent runs.</summary>
    private static string NewId(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture) + "-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
}
