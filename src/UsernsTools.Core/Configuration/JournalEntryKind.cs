using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Configuration;

/// <summary>What a journal entry records the previous state of.</summary>
[JsonConverter(typeof(EnumNameConverter<JournalEntryKind>))]
internal enum JournalEntryKind
{
    File,
    Runtime,

    /// <summary>A profile was loaded or unloaded; undoing it reloads or unloads according to the file's previous state.</summary>
    AppArmorLoad,
}
