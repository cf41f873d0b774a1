using Mono.Unix.Native;

namespace UsernsTools.Platform;

/// <summary>
/// getpwnam/getpwuid through NSS, for users that /etc/passwd does not list (LDAP, sssd, systemd-homed).
/// Only meaningful for the running machine, never for another file-system root.
/// </summary>
internal static class SystemUsers
{
    private static readonly object s_lock = new();

    public static PasswdEntry? FindByName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Lookup(() => Syscall.getpwnam(name));
    }

    public static PasswdEntry? FindByUid(long uid)
    {
        if (uid < 0 || uid > uint.MaxValue)
        {
            return null;
        }

        return Lookup(() => Syscall.getpwuid((uint)uid));
    }

    private static PasswdEntry? Lookup(Func<Passwd?> call)
    {
        // getpwnam returns static storage; Mono copies it, but concurrent calls may still interleave.
        Passwd? passwd;
        lock (s_lock)
        {
            passwd = call();
        }

        return passwd is { pw_name: { } name } ? new PasswdEntry(name, passwd.pw_uid, passwd.pw_gid) : null;
    }
}
