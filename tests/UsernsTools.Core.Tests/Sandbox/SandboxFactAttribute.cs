using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Sandbox;

/// <summary>
/// A fact that needs real tools (and possibly root). Skipped with the reason when something is missing,
/// except under CI=true, where CI installs the tools and a missing one must fail rather than hide.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SandboxFactAttribute : FactAttribute
{
    public SandboxFactAttribute(bool needsRoot = false, params string[] tools)
    {
        Skip = SandboxPrerequisites.Missing(needsRoot, tools);
    }
}

/// <summary>The theory version of <see cref="SandboxFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SandboxTheoryAttribute : TheoryAttribute
{
    public SandboxTheoryAttribute(bool needsRoot = false, params string[] tools)
    {
        Skip = SandboxPrerequisites.Missing(needsRoot, tools);
    }
}

internal static class SandboxPrerequisites
{
    /// <summary>What CI installs before the tests (util-linux, bubblewrap, uidmap): missing there is a failure.</summary>
    private static readonly HashSet<string> s_installedByCi = new(StringComparer.Ordinal) { "unshare", "setpriv", "bwrap", "newuidmap", "newgidmap" };

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the test cannot run here, or null. Root is not something CI installs, so its absence always skips.</summary>
    public static string? Missing(bool needsRoot, string[] tools)
    {
        if (needsRoot && CurrentProcess.EffectiveUid != 0)
        {
            return "needs root (it switches to nobody with setpriv or prepares a private mount namespace)";
        }

        var missing = tools.Where(t => PathLookup.Find(t, Environment.GetEnvironmentVariable("PATH")) is null).ToList();
        if (IsCi)
        {
            missing.RemoveAll(s_installedByCi.Contains);
        }

        return missing.Count == 0 ? null : "not installed: " + string.Join(", ", missing);
    }
}
