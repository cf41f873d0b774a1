using UsernsTools.Platform;

namespace UsernsTools.Sandbox;

/// <summary>Chooses the backend for a spec and builds its argv (what -WhatIf and --dry-run show).</summary>
internal static class BackendSelector
{
    private static readonly IBackend[] s_autoOrder = { UnshareBackend.Instance, BwrapBackend.Instance };

    public static IBackend For(BackendKind kind) => kind switch
    {
        BackendKind.Unshare => UnshareBackend.Instance,
        BackendKind.Bwrap => BwrapBackend.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Auto is not a backend."),
    };

    /// <summary>
    /// The argv for <paramref name="spec"/>. With Backend Auto, unshare when it can do the whole spec
    /// (one exec less than bwrap, no new root), else bwrap; when neither can, the error lists why.
    /// </summary>
    public static SandboxCommand BuildArgv(NamespaceSpec spec, SandboxToolFacts tools)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(tools);
        spec.Validate();
        if (spec.Backend != BackendKind.Auto)
        {
            return For(spec.Backend).BuildArgv(spec, tools);
        }

        var problems = new List<UsernsException>(2);
        foreach (var backend in s_autoOrder)
        {
            var problem = backend.FindProblem(spec, tools);
            if (problem is null)
            {
                return backend.BuildArgv(spec, tools);
            }

            problems.Add(problem);
        }

        throw new UsernsException(
            SandboxErrorIds.NoBackendForSpec,
            problems.TrueForAll(p => p.Category == UsernsErrorCategory.NotInstalled) ? UsernsErrorCategory.NotInstalled : UsernsErrorCategory.InvalidArgument,
            "No backend can run this spec: " + string.Join(" ", problems.Select(p => p.Message)),
            spec.FilePath,
            new AggregateException(problems));
    }
}
