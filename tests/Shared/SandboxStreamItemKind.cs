namespace UsernsTools.Tests;

/// <summary>What a <see cref="SandboxStreamItem"/> carries.</summary>
internal enum SandboxStreamItemKind
{
    Output,
    Error,
    Exited,
}
