using System.Text.Json.Serialization;

namespace UsernsTools.Sandbox;

/// <summary>How a sandboxed run ended (Invoke-NamespacedProcess -PassThru).</summary>
public sealed class NamespacedProcessResult
{
    /// <summary>
    /// The exit status as .NET reports it: the program's own code, or 128+N when the backend process
    /// was killed by signal N. unshare and bwrap also pass a child's death by signal N on as 128+N.
    /// </summary>
    [JsonInclude] public int ExitCode { get; internal init; }

    /// <summary>
    /// The signal N when <see cref="ExitCode"/> is 128+N (N from 1 to 64), else null. This is a decoding,
    /// not a wait status: a program that calls exit(137) itself is indistinguishable from one killed by
    /// SIGKILL, because .NET and the backends both report a death by signal as 128+N.
    /// </summary>
    [JsonInclude] public int? Signal { get; internal init; }

    /// <summary>The run was ended by <see cref="NamespaceSpec.Timeout"/> (the whole sandbox was killed).</summary>
    [JsonInclude] public bool TimedOut { get; internal init; }

    /// <summary>
    /// An interactive program stopped itself while it owned the terminal (a shell's `suspend`): nothing could
    /// resume it, so the whole sandbox was killed and the terminal given back.
    /// </summary>
    internal bool StoppedItself { get; init; }

    [JsonInclude] public TimeSpan Duration { get; internal init; }

    /// <summary>The backend that ran (never Auto).</summary>
    [JsonInclude] public BackendKind Backend { get; internal init; }

    /// <summary>The argv that was started.</summary>
    [JsonInclude] public IReadOnlyList<string> Argv { get; internal init; } = Array.Empty<string>();

    /// <summary>The namespaces the program got: those asked for, implied, and added by the backend.</summary>
    [JsonInclude] public NamespaceKind Namespaces { get; internal init; }

    /// <summary>Process id of the backend process (unshare, bwrap or setpriv) on the host.</summary>
    [JsonInclude] public int ProcessId { get; internal init; }
}
