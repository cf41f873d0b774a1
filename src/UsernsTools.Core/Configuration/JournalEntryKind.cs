namespace UsernsTools.Configuration;

/// <summary>What a journal entry records the previous state of.</summary>
internal enum JournalEntryKind
{
    File,
    Runtime,

    /// <summary>A profile was loaded or unloaded; undoing it reloads or unloads according to the file's previous state.</summary>
    AppArmorLoad,
}
