using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>
/// Where UsernsTools may write. Anything else is refused, so a wrong argument or a bug cannot touch an
/// unrelated file, and -Root keeps every write inside the given folder.
/// </summary>
internal static class ManagedPaths
{
    /// <summary>
    /// The one sysctl drop-in UsernsTools owns. Files apply in lexical order of name and the last value wins,
    /// so "99-zz-" sorts after the usual "99-sysctl.conf" and distribution defaults.
    /// </summary>
    public const string SysctlDropIn = "/etc/sysctl.d/99-zz-usernstools.conf";

    public const string SysctlDir = "/etc/sysctl.d";

    public const string AppArmorDir = "/etc/apparmor.d";

    public const string JournalDir = "/var/lib/usernstools";

    public const string BackupsDir = "/var/lib/usernstools/backups";

    public const string LockFile = "/var/lib/usernstools/lock";

    private static readonly string[] s_allowedDirs = { SysctlDir, AppArmorDir, JournalDir };

    /// <summary>Throws unless <paramref name="machinePath"/> is a plain absolute path below one of the managed folders.</summary>
    public static void EnsureAllowed(string machinePath)
    {
        ArgumentNullException.ThrowIfNull(machinePath);
        var segments = machinePath.Split('/');
        var plain = machinePath.StartsWith('/')
            && !segments.Skip(1).Any(s => s.Length == 0 || s == "." || s == "..")
            && !machinePath.Contains('\0', StringComparison.Ordinal);
        if (!plain || !s_allowedDirs.Any(d => machinePath.StartsWith(d + "/", StringComparison.Ordinal)))
        {
            throw new UsernsException(
                "TargetNotAllowed",
                UsernsErrorCategory.InvalidArgument,
                $"UsernsTools writes only below {string.Join(", ", s_allowedDirs)}; refusing '{machinePath}'.",
                machinePath);
        }
    }

    /// <summary>
    /// The path below <paramref name="root"/>, after checking it is allowed and that no folder on the way to it is a
    /// symbolic link below the root (the file itself is checked by whoever opens it).
    /// </summary>
    public static string Resolve(string root, string machinePath)
    {
        EnsureAllowed(machinePath);
        return Contained(root, machinePath, includeLast: false);
    }

    /// <summary><see cref="ContainedPath.Resolve"/>, with an I/O failure on the way reported as the engine's error for <paramref name="machinePath"/>.</summary>
    public static string Contained(string root, string machinePath, bool includeLast)
    {
        try
        {
            return ContainedPath.Resolve(root, machinePath, includeLast);
        }
        catch (IOException ex)
        {
            throw IoFailure.From(ex, machinePath, "inspect");
        }
    }
}
