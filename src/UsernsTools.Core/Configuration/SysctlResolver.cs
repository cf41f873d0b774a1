namespace UsernsTools.Configuration;

/// <summary>
/// The precedence engine as a value, so a plan can ask "who wins if this file had that content" and tests can
/// run the same plan against a chosen engine. Production uses <see cref="SysctlPrecedence.Resolve"/>.
/// </summary>
internal delegate SysctlResolution SysctlResolver(string root, IReadOnlyDictionary<string, string?>? overlay);
