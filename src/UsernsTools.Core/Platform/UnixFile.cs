using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace UsernsTools.Platform;

/// <summary>
/// stat(2) through libc's statx (its layout is the same on every architecture, unlike struct stat, so no native
/// helper is needed) and getxattr(2) through Mono.Unix. Mono.Unix needs its native helper (libMonoPosixHelper.so);
/// when a host cannot load it, <see cref="GetXattr"/> answers "unknown" (null) instead of failing the whole collection.
/// </summary>
internal static class UnixFile
{
    /// <summary>Linux's limit for one extended attribute value is 64 KiB; capabilities take at most 24 bytes.</summary>
    private const int MaxXattrSize = 64 * 1024;

    private const int ENOENT = 2;
    private const int ENOTDIR = 20;
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const uint STATX_BASIC_STATS = 0x7ff;

    /// <summary>Whether Mono's native helper could be used; false once a call found it missing.</summary>
    public static bool NativeAvailable { get; private set; } = true;

    /// <summary>stat (following links) of <paramref name="path"/>; null when it is missing or cannot be read.</summary>
    public static UnixFileStatus? Stat(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Statx(path, 0, out _);
    }

    /// <summary>
    /// lstat (a final symlink is described, not followed); null when the path does not exist, an IOException
    /// carrying the errno for any other failure.
    /// </summary>
    public static UnixFileStatus? LStat(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var status = Statx(path, AT_SYMLINK_NOFOLLOW, out var errno);
        if (status is null && errno != ENOENT && errno != ENOTDIR)
        {
            throw new IOException($"Cannot stat '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        return status;
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

    private static UnixFileStatus? Statx(string path, int flags, out int errno)
    {
        var buffer = new byte[256];
        if (statx(AT_FDCWD, path, flags, STATX_BASIC_STATS, buffer) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        errno = 0;

        // struct statx: uid at 20, gid at 24, mode (u16) at 28, ino at 32, dev_major at 136, dev_minor at 140.
        var mode = BitConverter.ToUInt16(buffer, 28);
        var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
        return new UnixFileStatus(
            device,
            BitConverter.ToUInt64(buffer, 32),
            mode & UnixFileStatus.TypeMask,
            mode & 0xFFF,
            BitConverter.ToUInt32(buffer, 20),
            BitConverter.ToUInt32(buffer, 24));
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
