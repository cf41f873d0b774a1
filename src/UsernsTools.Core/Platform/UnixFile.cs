using Mono.Unix.Native;

namespace UsernsTools.Platform;

/// <summary>
/// stat(2) and getxattr(2) through Mono.Unix. Mono.Unix needs its native helper (libMonoPosixHelper.so);
/// when a host cannot load it, these calls answer "unknown" (null) instead of failing the whole collection.
/// </summary>
internal static class UnixFile
{
    /// <summary>Linux's limit for one extended attribute value is 64 KiB; capabilities take at most 24 bytes.</summary>
    private const int MaxXattrSize = 64 * 1024;

    /// <summary>Whether the native helper could be used; false once a call found it missing.</summary>
    public static bool NativeAvailable { get; private set; } = true;

    /// <summary>stat (following links) of <paramref name="path"/>; null when missing, unreadable or the native helper is missing.</summary>
    public static UnixFileStatus? Stat(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!NativeAvailable)
        {
            return null;
        }

        try
        {
            if (Syscall.stat(path, out var stat) != 0)
            {
                return null;
            }

            return new UnixFileStatus(
                stat.st_dev,
                stat.st_ino,
                stat.st_uid,
                (stat.st_mode & FilePermissions.S_ISUID) != 0,
                (stat.st_mode & FilePermissions.S_ISGID) != 0);
        }
        catch (Exception ex) when (IsMissingNative(ex))
        {
            NativeAvailable = false;
            return null;
        }
    }

    /// <summary>The raw value of an extended attribute; null when absent, unreadable or the native helper is missing.</summary>
    public static byte[]? GetXattr(string path, string name)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(name);
        if (!NativeAvailable)
        {
            return null;
        }

        try
        {
            var buffer = new byte[256];
            var length = Syscall.getxattr(path, name, buffer, (ulong)buffer.Length);
            if (length < 0 && Stdlib.GetLastError() == Errno.ERANGE)
            {
                // Larger than any capability value; still read it so callers see what is there.
                buffer = new byte[MaxXattrSize];
                length = Syscall.getxattr(path, name, buffer, (ulong)buffer.Length);
            }

            return length < 0 ? null : buffer.AsSpan(0, (int)length).ToArray();
        }
        catch (Exception ex) when (IsMissingNative(ex))
        {
            NativeAvailable = false;
            return null;
        }
    }

    internal static bool IsMissingNative(Exception ex) =>
        ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException
        || (ex is TypeInitializationException tie && tie.InnerException is not null && IsMissingNative(tie.InnerException));
}
