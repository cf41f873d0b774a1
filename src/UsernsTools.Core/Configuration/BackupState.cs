using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Configuration;

/// <summary>Where a journal record stands.</summary>
[JsonConverter(typeof(EnumNameConverter<BackupState>))]
public enum BackupState
{
    /// <summary>Written before a change that never finished (the process died): roll it back with Restore-UsernsConfiguration.</summary>
    Incomplete,

    /// <summary>The change finished; the record can undo it.</summary>
    Complete,

    /// <summary>The change failed or was interrupted and its previous state was put back.</summary>
    RolledBack,

    /// <summary>The change was undone by Restore-UsernsConfiguration.</summary>
    Restored,
}
