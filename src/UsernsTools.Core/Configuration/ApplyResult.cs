namespace UsernsTools.Configuration;

/// <summary>What an operation did: one <see cref="UsernsChange"/> per step (applied, already in force, declined, manual).</summary>
internal sealed class ApplyResult
{
    public IReadOnlyList<UsernsChange> Changes { get; init; } = Array.Empty<UsernsChange>();

    /// <summary>The journal record of the applied changes; null when nothing was written.</summary>
    public string? BackupId { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();

    public bool Changed => Changes.Any(c => c.Status == ChangeStatus.Applied);
}
