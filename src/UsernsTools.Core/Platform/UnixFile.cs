using Mono.Unix.Native;

namespace UsernsTools.Platform;

/// <summary>stat(2), lstat(2) and getxattr(2) through Mono.Unix.</summary>
internal static class UnixFile
{
    /// <summary>Linux's limit for one extended attribute value is 64 KiB; capabilities take at most 24 bytes.</summary>
    private const int MaxXattrSize = 64 * 1024;

    /// <summary>stat (following links) of <paramref name="path"/>; null when it is missing or cannot be read.</summary>
    public static UnixFileStatus? Stat(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Syscall.stat(path, out var stat) == 0 ? From(stat) : null;
    }

    /// <summary>
    /// lstat (a final symlink is described, not followed); null when the path does not exist, an IOException
    /// carrying the errno for any other failure.
    /// </summary>
    public static UnixFileStatus? LStat(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Syscall.lstat(path, out var stat) == 0)
        {
            return From(stat);
        }

        var errno = PosixNative.LastError();
        if (errno is PosixNative.ENOENT or PosixNative.ENOTDIR)
        {
            return null;
        }

        throw new IOException($"Cannot stat '{path}': {PosixNative.ErrorMessage(errno)}", errno);
    }

    /// <summary>The raw value of an extended attribute; null when absent or unreadable.</summary>
    public static byte[]? GetXattr(string path, string name)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(name);
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

    private static UnixFileStatus From(Stat stat)
    {
        // Mono.Unix hands st_mode over in the kernel's own bit layout (S_IFMT, S_ISUID ... as in <sys/stat.h>).
        var mode = (int)stat.st_mode;
        return new UnixFileStatus(stat.st_dev, stat.st_ino, mode & UnixFileStatus.TypeMask, mode & 0xFFF, stat.st_uid, stat.st_gid);
    }
}
