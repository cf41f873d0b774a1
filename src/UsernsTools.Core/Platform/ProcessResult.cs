namespace UsernsTools.Platform;

/// <summary>What a finished (or abandoned) helper process left behind.</summary>
internal sealed record ProcessResult(
    bool Started,
    int? ExitCode,
    string StandardOutput,
    string StandardError,
    bool TimedOut,
    bool Cancelled,
    TimeSpan Duration,
    string? StartError);
