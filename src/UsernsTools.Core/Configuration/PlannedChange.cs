using System.Globalization;

namespace UsernsTools.Configuration;

/// <summary>
/// One step of a plan, before anything is written: shown by -WhatIf, approved one by one by -Confirm
/// (<see cref="Target"/> and <see cref="Action"/> are what ShouldProcess prints).
/// </summary>
internal sealed record PlannedChange
{
    public required ChangeKind Kind { get; init; }

    /// <summary>A file or /proc/sys path on the machine.</summary>
    public required string Target { get; init; }

    /// <summary>
    /// <see cref="Target"/> where it really is on this host (below -Root): what -WhatIf and -Confirm name, so a user
    /// changing a mounted image sees that image's file, not the host's.
    /// </summary>
    public string DisplayTarget
    {
        get => _displayTarget ?? Target;
        init => _displayTarget = value;
    }

    private readonly string? _displayTarget;

    public string? Setting { get; init; }

    /// <summary>The managed file written (drop-in, profile, restored file).</summary>
    public string? File { get; init; }

    /// <summary>Display value before (setting value or file text); null when absent.</summary>
    public string? Before { get; init; }

    /// <summary>Display value after; null when the change removes it.</summary>
    public string? After { get; init; }

    /// <summary>The value written to /proc/sys or into the drop-in.</summary>
    public string? Value { get; init; }

    /// <summary>For profile and restore changes: the exact file to put in place (absent = remove).</summary>
    public FileSnapshot? Desired { get; init; }

    /// <summary>Restores put the recorded owner back; new files keep the caller's.</summary>
    public bool SetOwner { get; init; }

    /// <summary>For <see cref="ChangeKind.AppArmorLoad"/>: the apparmor_parser argv (paths on the machine).</summary>
    public IReadOnlyList<string>? Argv { get; init; }

    /// <summary>The profile file an <see cref="ChangeKind.AppArmorLoad"/> step loads or unloads.</summary>
    public string? ProfileFile { get; init; }

    public ChangeScope Scope { get; init; }

    /// <summary>Touches only the journal: marks a record undone when its targets are already as recorded.</summary>
    public bool JournalOnly { get; init; }

    public bool RequiresReboot { get; init; }

    /// <summary>The verb phrase ShouldProcess shows, e.g. "Set user.max_user_namespaces to 0".</summary>
    public required string Action { get; init; }

    /// <summary>The action with the file it changes, named once: an action that names its file already is the whole text.</summary>
    public string Description => Action.Contains(DisplayTarget, StringComparison.Ordinal) ? Action : $"{Action} ({DisplayTarget})";

    /// <summary>Identity used to match an approval given before the lock with the plan made under it.</summary>
    public string Key => string.Join(
        '|',
        Kind.ToString(),
        Target,
        Setting ?? "",
        Value ?? "",
        Desired is null ? "" : (Desired.Exists ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Desired.Content)) + Desired.Mode.ToString(CultureInfo.InvariantCulture) : "absent"),
        Argv is null ? "" : string.Join(' ', Argv));

    public UsernsChange ToChange(ChangeStatus status, string? backupId) => new()
    {
        Target = Target,
        Kind = Kind,
        Setting = Setting,
        File = File,
        Before = Before,
        After = After,
        Scope = Scope,
        Status = status,
        BackupId = backupId,
        RequiresReboot = RequiresReboot,
        Description = status switch
        {
            ChangeStatus.Declined => "Not done: " + Description,
            _ => Description,
        },
    };
}
