using UsernsTools.Platform;

namespace UsernsTools.Probes.Bwrap;

/// <summary>Where to look for bwrap and how to ask it its version.</summary>
internal sealed record BwrapLookup
{
    /// <summary>The PATH to search; the process's PATH when null.</summary>
    public string? SearchPath { get; init; }

    /// <summary>An explicit bwrap (-BwrapPath); when set it is the one probes run.</summary>
    public string? ExplicitPath { get; init; }

    /// <summary>Effective uid of the caller: a setuid bwrap is never executed by a non-root caller, not even for --version.</summary>
    public long CallerUid { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public IProcessRunner Runner { get; init; } = ProcessRunner.Instance;
}
