using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Probes;

/// <summary>
/// What probe results answer, in one word each: the <c>-Quiet</c> answers of Test-UserNamespace and Test-BwrapUidMap
/// and the exit codes of <c>usernstools test-userns</c> and <c>test-bwrap</c>. Pure functions of the results.
/// </summary>
internal static class ProbeVerdicts
{
    /// <summary>A user namespace can be created and the subject mapped to root in it.</summary>
    public static bool UserNamespacesWork(IReadOnlyList<UsernsProbeResult> results) =>
        CanCreateUserNamespace(results) && Succeeded(results, ProbeNames.MapRootUser);

    /// <summary>A user namespace can be created (whether or not mapping works).</summary>
    public static bool CanCreateUserNamespace(IReadOnlyList<UsernsProbeResult> results) => Succeeded(results, ProbeNames.CreateUserNamespace);

    /// <summary>
    /// bwrap can map the subject in a user namespace: the strict probe succeeded with a mapping; without a strict
    /// probe, every probe run succeeded.
    /// </summary>
    public static bool BwrapWorks(IReadOnlyList<BwrapProbeResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var strict = results.FirstOrDefault(r => r.Mode == BwrapMode.Strict);
        return strict is not null ? strict.Succeeded && strict.UidMapped : results.Count > 0 && results.All(r => r.Succeeded);
    }

    /// <summary>Only <c>--unshare-user-try</c> made a user namespace: the exit 1 of <c>usernstools test-bwrap</c>.</summary>
    public static bool OnlyBwrapTryModeWorks(IReadOnlyList<BwrapProbeResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return !BwrapWorks(results) && results.Any(r => r.Mode == BwrapMode.Try && r.Succeeded && r.UidMapped);
    }

    private static bool Succeeded(IReadOnlyList<UsernsProbeResult> results, string name)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Any(r => r.Succeeded && string.Equals(r.Name, name, StringComparison.Ordinal));
    }
}
