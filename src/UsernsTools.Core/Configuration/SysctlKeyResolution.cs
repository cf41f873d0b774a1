using UsernsTools.Facts;

namespace UsernsTools.Configuration;

/// <summary>Which assignment of one key boot applies, and which ones it beats.</summary>
internal sealed record SysctlKeyResolution(SysctlAssignment Winner, IReadOnlyList<SysctlAssignment> Shadowed);
