using System.Text.Json.Serialization;

namespace UsernsTools.Configuration;

/// <summary>A journal record: what one run changed and what was there before, so it can be undone exactly.</summary>
public sealed class UsernsBackup
{
    [JsonInclude] public string BackupId { get; internal init; } = "";

    [JsonInclude] public DateTimeOffset CreatedAt { get; internal init; }

    /// <summary>The operation that made the change, e.g. <c>Set-UsernsSetting user.max_user_namespaces=0</c>.</summary>
    [JsonInclude] public string Operation { get; internal init; } = "";

    [JsonInclude] public BackupState State { get; internal init; }

    /// <summary>Files and /proc/sys paths whose previous state the record holds.</summary>
    [JsonInclude] public IReadOnlyList<string> Targets { get; internal init; } = Array.Empty<string>();

    [JsonInclude] public IReadOnlyList<UsernsChange> Changes { get; internal init; } = Array.Empty<UsernsChange>();

    /// <summary>The backup this record's run restored, when it was a restore.</summary>
    [JsonInclude] public string? RestoresBackupId { get; internal init; }

    /// <summary>The restore run that undid this record.</summary>
    [JsonInclude] public string? RestoredBy { get; internal init; }

    /// <summary>The record file, where it really is on this host (below -Root).</summary>
    [JsonInclude] public string Path { get; internal init; } = "";

    public override string ToString() => $"{BackupId} {State} {Operation}";
}
