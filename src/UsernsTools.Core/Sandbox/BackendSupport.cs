using UsernsTools.Platform;

namespace UsernsTools.Sandbox;

/// <summary>What the unshare and bwrap backends do alike when they turn a spec into an argv.</summary>
internal static class BackendSupport
{
    /// <summary>Adds <paramref name="flag"/> when <paramref name="kinds"/> asks for the namespace <paramref name="kind"/>.</summary>
    public static void AddFlag(List<string> argv, NamespaceKind kinds, NamespaceKind kind, string flag)
    {
        ArgumentNullException.ThrowIfNull(argv);
        if ((kinds & kind) != 0)
        {
            argv.Add(flag);
        }
    }

    /// <summary>The refusal of a spec that <paramref name="backend"/> cannot run: what it lacks, the option that asked for it, and the backend to use instead.</summary>
    public static UsernsException Lacks(BackendKind backend, string feature, string option) => backend == BackendKind.Bwrap
        ? new(SandboxErrorIds.BwrapLacksFeature, UsernsErrorCategory.InvalidArgument, $"bwrap cannot do {feature}; use Backend Unshare or Auto.", option)
        : new(SandboxErrorIds.UnshareLacksFeature, UsernsErrorCategory.InvalidArgument, $"unshare cannot do {feature} ({option}); use Backend Bwrap or Auto.", option);
}
