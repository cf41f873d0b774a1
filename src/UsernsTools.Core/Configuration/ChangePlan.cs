namespace UsernsTools.Configuration;

/// <summary>What an operation would do: the changes in order, what is already in force, and what the user should know.</summary>
internal sealed class ChangePlan
{
    /// <summary>The operation as the journal records it, e.g. "Set-UsernsSetting user.max_user_namespaces=0".</summary>
    public required string Operation { get; init; }

    /// <summary>Changes to make, in order (files before runtime values, profiles before loading them).</summary>
    public IReadOnlyList<PlannedChange> Changes { get; init; } = Array.Empty<PlannedChange>();

    /// <summary>Changes not to make: already in force, or left to the administrator (boot options).</summary>
    public IReadOnlyList<UsernsChange> Unchanged { get; init; } = Array.Empty<UsernsChange>();

    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>Decisions worth narrating (verbose output): which cause was found, which file wins, what was skipped.</summary>
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();

    /// <summary>Sysctl keys and the value the precedence engine must give them once the plan is applied.</summary>
    public IReadOnlyDictionary<string, string> ExpectedPersisted { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Proceed even though an interrupted change is pending in the journal, or another sysctl file wins.</summary>
    public bool Force { get; init; }

    /// <summary>For a restore: the record being undone.</summary>
    public string? RestoresBackupId { get; init; }

    /// <summary>For a restore that finishes an interrupted run of itself: that run's record, which this one completes.</summary>
    public string? ResumesBackupId { get; init; }

    public bool IsEmpty => Changes.Count == 0;
}
