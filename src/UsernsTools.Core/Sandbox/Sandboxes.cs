namespace UsernsTools.Sandbox;

/// <summary>
/// The door to running programs in new namespaces, for both front ends: Invoke-NamespacedProcess and
/// <c>usernstools run</c> are each one call here, with this machine's unshare and bwrap.
/// </summary>
internal static class Sandboxes
{
    private static NamespacedProcessRunner Runner => NamespacedProcessRunner.Default;

    /// <summary>The argv a run would start (-WhatIf, --dry-run), after every check a real run makes first.</summary>
    public static Task<SandboxCommand> BuildArgvAsync(NamespaceSpec spec, CancellationToken cancellationToken) =>
        Runner.BuildArgvAsync(spec, cancellationToken);

    /// <summary>Runs the spec with callbacks for its streams; returns when the program and all that held its output have ended.</summary>
    public static Task<NamespacedProcessResult> RunAsync(NamespaceSpec spec, ProcessIo io, CancellationToken cancellationToken) =>
        Runner.RunAsync(spec, io, cancellationToken);

    /// <summary>Starts the spec and returns at once, its lines arriving as events (the cmdlet's pipeline).</summary>
    public static Task<SandboxRun> StartAsync(NamespaceSpec spec, bool writableInput, CancellationToken cancellationToken) =>
        Runner.StartAsync(spec, writableInput, cancellationToken);
}
