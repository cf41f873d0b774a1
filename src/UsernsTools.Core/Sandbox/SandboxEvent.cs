namespace UsernsTools.Sandbox;

/// <summary>One item of a streamed run: a stdout line, a stderr line, or (last) the result.</summary>
internal sealed record SandboxEvent(SandboxEventKind Kind, string? Line, NamespacedProcessResult? Result)
{
    public static SandboxEvent ForOutput(string line) => new(SandboxEventKind.Output, line, null);

    public static SandboxEvent ForError(string line) => new(SandboxEventKind.Error, line, null);

    public static SandboxEvent ForExit(NamespacedProcessResult result) => new(SandboxEventKind.Exited, null, result);
}
