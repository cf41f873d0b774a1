using UsernsTools.Platform;

namespace UsernsTools.Facts;

/// <summary>What to read facts from, and for whom.</summary>
internal sealed record FactRequest
{
    /// <summary>File-system root of the machine being read (default <c>/</c>); tests and offline images pass a folder.</summary>
    public string Root { get; init; } = "/";

    /// <summary>User name or numeric uid to diagnose; null picks the default subject (SUDO_UID, else nobody when root, else the caller).</summary>
    public string? User { get; init; }

    /// <summary>
    /// <see cref="User"/> already resolved, when the caller needed the subject before the facts (to start the probes
    /// while the facts are read); null resolves it as the first step of collecting.
    /// </summary>
    public UsernsSubject? Subject { get; init; }

    /// <summary>Environment of the caller (PATH, SUDO_UID, KUBERNETES_SERVICE_HOST ...).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Effective uid of the caller.</summary>
    public long CallerUid { get; init; }

    public IProcessRunner Runner { get; init; } = ProcessRunner.Instance;

    /// <summary>Extra bwrap executables to describe besides the one on PATH.</summary>
    public IReadOnlyList<string> ExtraBwrapPaths { get; init; } = Array.Empty<string>();
}
