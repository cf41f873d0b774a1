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
}
