using UsernsTools.Facts;
using UsernsTools.Platform;

namespace UsernsTools.Probes;

/// <summary>Who to probe as, with which tools, and how long to wait.</summary>
internal sealed record ProbeRequest
{
    public required UsernsSubject Subject { get; init; }

    /// <summary>Effective uid of the caller: when 0 and the subject is someone else, probes run as the subject.</summary>
    public long CallerUid { get; init; }

    /// <summary>Path of unshare, or null when it is not installed.</summary>
    public string? UnsharePath { get; init; }

    /// <summary>Path of setpriv (needed for a subject that has no user entry), or null when it is not installed.</summary>
    public string? SetprivPath { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public IProcessRunner Runner { get; init; } = ProcessRunner.Instance;
}
