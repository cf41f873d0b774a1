using UsernsTools.Platform;

namespace UsernsTools.Sandbox;

/// <summary>Turns a <see cref="NamespaceSpec"/> into an argv for one tool. Pure: no file or process is touched.</summary>
internal interface IBackend
{
    BackendKind Kind { get; }

    /// <summary>Why this backend cannot run <paramref name="spec"/> with these tools, or null when it can.</summary>
    UsernsException? FindProblem(NamespaceSpec spec, SandboxToolFacts tools);

    /// <summary>The argv; throws the problem <see cref="FindProblem"/> would report.</summary>
    SandboxCommand BuildArgv(NamespaceSpec spec, SandboxToolFacts tools);
}
