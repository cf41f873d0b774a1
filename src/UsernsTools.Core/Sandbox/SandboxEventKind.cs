namespace UsernsTools.Sandbox;

/// <summary>What a <see cref="SandboxEvent"/> carries.</summary>
internal enum SandboxEventKind
{
    Output,
    Error,
}
