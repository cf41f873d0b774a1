using System.Text.Json.Serialization;

namespace UsernsTools.Configuration;

/// <summary>One change to the machine (made, skipped or only described), with what it replaced and how to undo it.</summary>
public sealed class UsernsChange
{
    /// <summary>What is changed: a file or /proc/sys path, or the kernel command line.</summary>
    [JsonInclude] public string Target { get; internal init; } = "";

    [JsonInclude] public ChangeKind Kind { get; internal init; }

    /// <summary>The sysctl name, when the change is about one.</summary>
    [JsonInclude] public string? Setting { get; internal init; }

    /// <summary>The file written, when the change writes one.</summary>
    [JsonInclude] public string? File { get; internal init; }

    /// <summary>The value (or file text) before; null when absent or unset.</summary>
    [JsonInclude] public string? Before { get; internal init; }

    /// <summary>The value (or file text) after; null when the change removes it.</summary>
    [JsonInclude] public string? After { get; internal init; }

    [JsonInclude] public ChangeScope Scope { get; internal init; }

    [JsonInclude] public ChangeStatus Status { get; internal init; }

    /// <summary>The journal record that can undo this change (Restore-UsernsConfiguration -BackupId).</summary>
    [JsonInclude] public string? BackupId { get; internal set; }

    [JsonInclude] public bool RequiresReboot { get; internal init; }

    /// <summary>The change in one sentence.</summary>
    [JsonInclude] public string Description { get; internal init; } = "";

    public override string ToString() => Description;

    /// <summary>This change as recorded under the journal record <paramref name="id"/> (a copy, unless it already is).</summary>
    internal UsernsChange WithBackupId(string id)
    {
        if (BackupId == id)
        {
            return this;
        }

        var copy = (UsernsChange)MemberwiseClone();
        copy.BackupId = id;
        return copy;
    }
}
