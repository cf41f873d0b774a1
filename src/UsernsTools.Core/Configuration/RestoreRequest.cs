namespace UsernsTools.Configuration;

/// <summary>Restore-UsernsConfiguration: undo one journal record, or the newest change not yet undone.</summary>
internal sealed record RestoreRequest
{
    public string? BackupId { get; init; }

    /// <summary>
    /// Undo the newest change not yet undone. Asked for explicitly (a command line without an id and without input),
    /// never implied by a missing id: a change record without one must not stand for another change.
    /// </summary>
    public bool Newest { get; init; }

    /// <summary>Proceed although another interrupted change is pending.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// For a preview (-WhatIf) of several records undone newest first: the later records the same call previewed undoing
    /// before this one. They are taken as undone, as the real run will have undone them by then, instead of refusing
    /// this one for a later change still in force. Never for a real run: a later restore that was declined or failed
    /// must still stop this one.
    /// </summary>
    public IReadOnlyCollection<string> PreviewedAsUndone { get; init; } = Array.Empty<string>();
}
