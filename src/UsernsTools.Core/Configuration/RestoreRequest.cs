namespace UsernsTools.Configuration;

/// <summary>Restore-UsernsConfiguration: undo one journal record (default: the newest change not yet undone).</summary>
internal sealed record RestoreRequest
{
    public string? BackupId { get; init; }

    /// <summary>Proceed although another interrupted change is pending.</summary>
    public bool Force { get; init; }
}
