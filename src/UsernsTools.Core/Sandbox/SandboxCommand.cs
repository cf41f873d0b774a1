namespace UsernsTools.Sandbox;

/// <summary>The argv a backend built for a spec: what -WhatIf shows and what the runner starts.</summary>
internal sealed record SandboxCommand(BackendKind Backend, IReadOnlyList<string> Argv, NamespaceKind Namespaces)
{
    /// <summary>A directory to start the backend in, when its version has no option for it (old unshare).</summary>
    public string? StartDirectory { get; init; }
}
