using UsernsTools.Sandbox;

namespace UsernsTools.Tests;

/// <summary>One item of <see cref="SandboxStream.StreamAsync"/>: a stdout line, a stderr line, or (last) the result.</summary>
internal sealed record SandboxStreamItem(SandboxStreamItemKind Kind, string? Line, NamespacedProcessResult? Result);
