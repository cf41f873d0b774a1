using UsernsTools.Facts;
using UsernsTools.Platform;

namespace UsernsTools.Probes.Bwrap;

/// <summary>Who to probe bwrap as, which bwrap, and which invocations.</summary>
internal sealed record BwrapProbeRequest
{
    public required UsernsSubject Subject { get; init; }

    /// <summary>Effective uid of the caller: when 0 and the subject is someone else, probes run as the subject.</summary>
    public long CallerUid { get; init; }

    /// <summary>Path of setpriv (needed for a subject that has no user entry), or null when it is not installed.</summary>
    public string? SetprivPath { get; init; }

    /// <summary>-BwrapPath: probe this bwrap instead of the first on PATH.</summary>
    public string? BwrapPath { get; init; }

    /// <summary>The PATH to find bwrap on; the process's PATH when null.</summary>
    public string? SearchPath { get; init; }

    public IReadOnlyList<BwrapMode> Modes { get; init; } = new[] { BwrapMode.Strict, BwrapMode.Try, BwrapMode.Network, BwrapMode.Proc, BwrapMode.Flatpak };

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public IProcessRunner Runner { get; init; } = ProcessRunner.Instance;
}
