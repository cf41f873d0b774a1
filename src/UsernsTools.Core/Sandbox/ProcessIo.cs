namespace UsernsTools.Sandbox;

/// <summary>Where a sandboxed program's standard streams go.</summary>
internal sealed class ProcessIo
{
    /// <summary>Lines written to stdin, each followed by a newline; stdin closes after the last. Null closes it at once.</summary>
    public IEnumerable<string>? Input { get; init; }

    /// <summary>Called for each stdout line as it arrives, in order (it may run at the same time as <see cref="Error"/>).</summary>
    public Action<string>? Output { get; init; }

    /// <summary>Called for each stderr line as it arrives, in order.</summary>
    public Action<string>? Error { get; init; }

    /// <summary>Called once with the backend's process id right after it started.</summary>
    public Action<int>? Started { get; init; }

    /// <summary>The program gets the caller's terminal (stdin, stdout, stderr inherited); Input, Output and Error are ignored.</summary>
    public bool Interactive { get; init; }

    public static ProcessIo None { get; } = new();
}
