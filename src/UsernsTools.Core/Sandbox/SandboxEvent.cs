namespace UsernsTools.Sandbox;

/// <summary>One item of a streamed run: a stdout or a stderr line.</summary>
internal sealed record SandboxEvent(SandboxEventKind Kind, string Line)
{
    public static SandboxEvent ForOutput(string line) => new(SandboxEventKind.Output, line);

    public static SandboxEvent ForError(string line) => new(SandboxEventKind.Error, line);
}
