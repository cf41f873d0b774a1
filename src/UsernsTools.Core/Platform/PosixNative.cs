using System.Runtime.InteropServices;
using Mono.Unix;
using Mono.Unix.Native;

namespace UsernsTools.Platform;

/// <summary>
/// The descriptor-level libc calls .NET does not expose, through Mono.Unix: fsync of a directory, flock on a
/// descriptor of our own (the one call Mono.Unix lacks, see <see cref="LibcFlock"/>), fchown, access, and non-blocking reads of a device. Errors come back as Linux errno values.
/// </summary>
internal static class PosixNative
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int ENXIO = 6;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int ENODEV = 19;
    public const int ENOTDIR = 20;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int EROFS = 30;
    public const int EPIPE = 32;
    public const int EDQUOT = 122;

    /// <summary>The errno of the last failed Mono.Unix call on this thread, as the kernel numbers it.</summary>
    public static int LastError() => NativeConvert.FromErrno(Stdlib.GetLastError());

    /// <summary>strerror for <paramref name="errno"/> (e.g. "Permission denied").</summary>
    public static string ErrorMessage(int errno) => UnixMarshal.GetErrorDescription(NativeConvert.ToErrno(errno));

    /// <summary>Makes a rename or unlink in <paramref name="directory"/> durable.</summary>
    public static void FsyncDirectory(string directory)
    {
        var fd = Syscall.open(directory, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = LastError();
            throw new IOException($"Cannot open directory '{directory}': {ErrorMessage(errno)}", errno);
        }

        try
        {
            if (Syscall.fsync(fd) != 0)
            {
                var errno = LastError();
                if (errno != EINVAL)
                {
                    // EINVAL: the file system cannot sync directories (some FUSE mounts); the rename itself stands.
                    throw new IOException($"Cannot sync directory '{directory}': {ErrorMessage(errno)}", errno);
                }
            }
        }
        finally
        {
            _ = Syscall.close(fd);
        }
    }

    /// <summary>Opens (creating when needed) a file for flock; the descriptor is ours alone, so flock serialises threads too.</summary>
    public static int OpenLockFile(string path)
    {
        var fd = Syscall.open(path, OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_CLOEXEC, FilePermissions.S_IRUSR | FilePermissions.S_IWUSR);
        if (fd < 0)
        {
            var errno = LastError();
            throw new IOException($"Cannot open lock file '{path}': {ErrorMessage(errno)}", errno);
        }

        return fd;
    }

    /// <summary>Takes the exclusive lock without waiting; returns 0 or the errno (EAGAIN while another holder has it).</summary>
    public static int TryLockExclusive(int fd) => LibcFlock.flock(fd, LibcFlock.LOCK_EX | LibcFlock.LOCK_NB) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Releases a lock taken with <see cref="TryLockExclusive"/>; closing the descriptor releases it too.</summary>
    public static void Unlock(int fd) => _ = LibcFlock.flock(fd, LibcFlock.LOCK_UN);

    public static void Close(int fd) => _ = Syscall.close(fd);

    /// <summary>Opens a device or file for non-blocking reads; returns the descriptor, or -1 with the errno.</summary>
    public static int OpenNonBlocking(string path, out int errno)
    {
        var fd = Syscall.open(path, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC);
        errno = fd < 0 ? LastError() : 0;
        return fd;
    }

    /// <summary>read(2) into <paramref name="buffer"/>; returns the byte count, or -1 with the errno (EAGAIN: nothing now).</summary>
    public static int Read(int fd, byte[] buffer, out int errno)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        return Read(fd, buffer, 0, buffer.Length, out errno);
    }

    /// <summary>read(2) of at most <paramref name="count"/> bytes into <paramref name="buffer"/> from <paramref name="offset"/>; returns the byte count, or -1 with the errno.</summary>
    public static int Read(int fd, byte[] buffer, int offset, int count, out int errno)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, buffer.Length - offset);
        var pinned = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            var n = Syscall.read(fd, pinned.AddrOfPinnedObject() + offset, (ulong)count);
            errno = n < 0 ? LastError() : 0;
            return n < 0 ? -1 : (int)n;
        }
        finally
        {
            pinned.Free();
        }
    }

    /// <summary>Opens a file for reading (blocking, close-on-exec); returns the descriptor, or -1 with the errno.</summary>
    public static int OpenForReading(string path, out int errno)
    {
        var fd = Syscall.open(path, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC);
        errno = fd < 0 ? LastError() : 0;
        return fd;
    }

    /// <summary>write(2) of <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>; returns the byte count, or -1 with the errno.</summary>
    public static int Write(int fd, byte[] buffer, int offset, int count, out int errno)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, buffer.Length - offset);
        var pinned = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            var n = Syscall.write(fd, pinned.AddrOfPinnedObject() + offset, (ulong)count);
            errno = n < 0 ? LastError() : 0;
            return n < 0 ? -1 : (int)n;
        }
        finally
        {
            pinned.Free();
        }
    }

    /// <summary>Sets the owner of an open file; returns 0 or the errno.</summary>
    public static int FChown(SafeHandle handle, long uid, long gid)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            return Syscall.fchown(fd, unchecked((int)(uint)uid), unchecked((int)(uint)gid)) == 0 ? 0 : LastError();
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>access(2) for writing; returns 0 or the errno (EACCES, EROFS ...).</summary>
    public static int CheckWritable(string path) => Syscall.access(path, AccessModes.W_OK) == 0 ? 0 : LastError();

    /// <summary>access(2) for listing and entering a folder; returns 0 or the errno.</summary>
    public static int CheckSearchable(string path) => Syscall.access(path, AccessModes.R_OK | AccessModes.X_OK) == 0 ? 0 : LastError();
}
