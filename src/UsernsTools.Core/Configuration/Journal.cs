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
    private readonly FrontEndWords _words;

    public Journal(string root, FrontEndWords? words = null)
    {
        _root = root ?? throw new ArgumentNullException(nameof(root));
        _words = words ?? FrontEndWords.ForCmdlets(root);
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

    /// <summary>
    /// All records, oldest first. An unreadable record stands in the list as Incomplete with the reason in
    /// <see cref="JournalRecord.Unreadable"/>, rather than hidden: it may hold the only copy of what a change replaced.
    /// </summary>
    public IReadOnlyList<JournalRecord> List()
    {
        var directory = ManagedPaths.Contained(_root, ManagedPaths.BackupsDir, includeLast: true);
        if (!Directory.Exists(directory))
        {
            return Array.Empty<JournalRecord>();
        }

        var records = new List<JournalRecord>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json"))
        {
            var id = Path.GetFileNameWithoutExtension(file);
            var record = Load(id, out var problem);
            if (record is not null)
            {
                records.Add(record);
            }
            else if (problem is not null)
            {
                records.Add(new JournalRecord { Id = id, State = BackupState.Incomplete, Operation = "(unreadable record)", Unreadable = problem });
            }
        }

        return records.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The record <paramref name="id"/>, or null when there is none; an unreadable one is an error saying how to set it aside.</summary>
    public JournalRecord? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            throw new UsernsException("InvalidBackupId", UsernsErrorCategory.InvalidArgument, $"'{id}' is not a backup id (see {_words.Backups}).", id);
        }

        var record = Load(id, out var problem);
        if (problem is not null)
        {
            throw Unreadable(id, problem);
        }

        return record;
    }

    /// <summary>
    /// The error for a record that cannot be read: its file, the reason, and the one step that lets every other run go
    /// on (renaming it: only *.json files are read), so the advice can always be followed.
    /// </summary>
    public UsernsException Unreadable(string id, string problem)
    {
        var full = RootedPath.Combine(_root, PathOf(id));
        return new UsernsException(
            "JournalRecordUnreadable",
            UsernsErrorCategory.InvalidData,
            $"The journal record {full} cannot be read: {problem}. It may hold the only copy of what an earlier change replaced: "
            + $"look at it, then set it aside with 'mv {full} {full}.unreadable' (UsernsTools reads only *.json records), or use {_words.Force} to go ahead anyway. "
            + "Nothing was changed.",
            full);
    }

    public static string PathOf(string id) => ManagedPaths.BackupsDir + "/" + id + ".json";

    /// <summary>The record as Get-UsernsBackup shows it; <see cref="UsernsBackup.Path"/> is the file below the root, one a user can open.</summary>
    public UsernsBackup ToBackup(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new UsernsBackup
        {
            BackupId = record.Id,
            CreatedAt = record.CreatedAt,
            Operation = record.Unreadable is null ? record.Operation : $"(unreadable record: {record.Unreadable})",
            State = record.State,
            Targets = record.Entries.Select(e => e.Target).Distinct(StringComparer.Ordinal).ToList(),
            Changes = record.Changes.Select(c => c.WithBackupId(record.Id)).ToList(),
            RestoresBackupId = record.RestoresBackupId,
            RestoredBy = record.RestoredBy,
            Path = RootedPath.Combine(_root, PathOf(record.Id)),
        };
    }

    /// <summary>The record, or null with <paramref name="problem"/> saying why it cannot be used (null too when there is no such file).</summary>
    private JournalRecord? Load(string id, out string? problem)
    {
        problem = null;
        try
        {
            var snapshot = AtomicFile.Read(_root, PathOf(id));
            if (!snapshot.Exists)
            {
                return null;
            }

            var record = JsonSerializer.Deserialize(snapshot.Content, UsernsJsonContext.Default.JournalRecord);
            if (record is null)
            {
                problem = "it holds no record";
                return null;
            }

            if (record.Entries.Any(e => e.Content is not null && !IsBase64(e.Content)))
            {
                problem = "a saved file content is not valid base64";
                return null;
            }

            return record;
        }
        catch (JsonException ex)
        {
            problem = "it is not a valid journal record (JSON" + (ex.LineNumber is long line ? $", line {line + 1}" : "") + ")";
            return null;
        }
        catch (UsernsException ex) when (ex.Category == UsernsErrorCategory.PermissionDenied)
        {
            // Root's records (mode 0600) read by another user: not a damaged record to set aside, a call that needs root.
            throw IoFailure.PermissionDenied(RootedPath.Combine(_root, PathOf(id)), "read the journal record", ex);
        }
        catch (UsernsException ex)
        {
            problem = ex.Message.TrimEnd('.');
            return null;
        }
    }

    private static bool IsBase64(string text) => Convert.TryFromBase64String(text, new byte[text.Length], out _);

    /// <summary>Sortable by time, unique across concurrent runs.</summary>
    private static string NewId(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture) + "-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
}
