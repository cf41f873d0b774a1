using UsernsTools.Facts;

namespace UsernsTools.Sandbox;

/// <summary>
/// What the argv builders need to know about the machine: where the tools are, their versions, and who
/// the sandbox runs as. Pure data, so a -WhatIf can be computed from recorded facts.
/// </summary>
internal sealed record SandboxToolFacts
{
    public string? UnsharePath { get; init; }

    /// <summary>null when unknown: then version-gated options are refused rather than guessed.</summary>
    public Version? UnshareVersion { get; init; }

    public string? BwrapPath { get; init; }

    public Version? BwrapVersion { get; init; }

    /// <summary>setpriv gives unshare a parent-death signal (die with the caller) and switches user for <see cref="RunAs"/>.</summary>
    public string? SetprivPath { get; init; }

    /// <summary>The <c>hostname</c> program, which unshare needs to name a new UTS namespace (it has no option for it).</summary>
    public string? HostnamePath { get; init; }

    /// <summary>util-linux flock, which waits for the program as pid 1 of the pid namespace that holds a run's tree.</summary>
    public string? FlockPath { get; init; }

    /// <summary>The shell for the fixed script that runs <c>hostname</c> before the program.</summary>
    public string ShellPath { get; init; } = "/bin/sh";

    /// <summary>The effective uid the backend will run with (the caller, or <see cref="RunAs"/>).</summary>
    public long Uid { get; init; }

    /// <summary>Runs the backend as this user through setpriv (root only), the way probes run as the subject.</summary>
    public UsernsSubject? RunAs { get; init; }

    /// <summary>An argv put before everything else (tests use it to enter a prepared mount namespace).</summary>
    public IReadOnlyList<string> LaunchPrefix { get; init; } = Array.Empty<string>();

    /// <summary>The uid namespaces are created as.</summary>
    public long EffectiveUid => RunAs?.Uid ?? Uid;

    /// <summary>Root can create namespaces without a user namespace; everyone else needs one.</summary>
    public bool IsPrivileged => EffectiveUid == 0;

    /// <summary>Builds facts from the machine facts the diagnosis collected (tool paths and versions as recorded).</summary>
    public static SandboxToolFacts FromMachineFacts(MachineFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return new SandboxToolFacts
        {
            UnsharePath = Path(facts.Tool("unshare")),
            UnshareVersion = Facts.ToolVersion.AsVersion(facts.Tool("unshare")?.Version),
            BwrapPath = Path(facts.Tool("bwrap")),
            BwrapVersion = Facts.ToolVersion.AsVersion(facts.Tool("bwrap")?.Version),
            SetprivPath = Path(facts.Tool("setpriv")),
            HostnamePath = Path(facts.Tool("hostname")),
            FlockPath = Path(facts.Tool("flock")),
            Uid = facts.CallerUid,
        };
    }

    private static string? Path(ToolFact? tool) => tool is { Found: true } ? tool.Path : null;
}
