using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests;

/// <summary>What the real-kernel tests need from the machine, and why a test is skipped when it is missing.</summary>
public static class KernelPrerequisites
{
    /// <summary>Tools CI installs before the tests; their absence there is a failure, not a skip.</summary>
    private static readonly string[] s_installedByCi = { "unshare", "setpriv", "bwrap", "newuidmap", "newgidmap" };

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool IsRoot => CurrentProcess.EffectiveUid == 0;

    /// <summary>The path of a tool the test needs; fails the test when it is missing (the attribute skipped it otherwise).</summary>
    public static string Tool(string name)
    {
        var path = PathLookup.Find(name, Environment.GetEnvironmentVariable("PATH"));
        Assert.True(path is not null, $"{name} is not installed; CI must install it before running the tests.");
        return path!;
    }

    public static string? SkipReason(IEnumerable<string> tools, bool requiresRoot, bool requiresUnprivilegedUserns)
    {
        foreach (var tool in tools)
        {
            if (PathLookup.Find(tool, Environment.GetEnvironmentVariable("PATH")) is null
                && !(IsCi && s_installedByCi.Contains(tool, StringComparer.Ordinal)))
            {
                return $"{tool} is not installed.";
            }
        }

        if (requiresRoot && !IsRoot)
        {
            return "needs root: it runs the probes as another user through setpriv or relies on root's capabilities.";
        }

        if (requiresUnprivilegedUserns && HostRestriction() is { } restriction)
        {
            return $"this host restricts unprivileged user namespaces ({restriction}); the test expects them allowed.";
        }

        return null;
    }

    /// <summary>A host setting that keeps unprivileged users from creating or mapping user namespaces, or null.</summary>
    private static string? HostRestriction()
    {
        string? Read(string path) => RootedPath.ReadValue("/", path);
        if (Read("/proc/sys/user/max_user_namespaces") == "0")
        {
            return "user.max_user_namespaces=0";
        }

        if (Read("/proc/sys/kernel/unprivileged_userns_clone") == "0")
        {
            return "kernel.unprivileged_userns_clone=0";
        }

        if (Read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1")
        {
            return "kernel.apparmor_restrict_unprivileged_userns=1";
        }

        return null;
    }
}
