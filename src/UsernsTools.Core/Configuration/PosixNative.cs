using System.Runtime.InteropServices;

namespace UsernsTools.Configuration;

/// <summary>
/// The few libc calls .NET does not expose: fsync of a directory, flock on a handle of our own, fchown and access
/// (stat is Platform/UnixFile).
/// </summary>
internal static class PosixNative
{
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EROFS = 30;
    public const int ENOSPC = 28;
    public const int EDQUOT = 122;
    public const int EPERM = 1;
    public const int EINVAL = 22;

    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const int LOCK_UN = 8;

    public const int W_OK = 2;
    public const int R_OK = 4;
    public const int X_OK = 1;

    private const int O_RDONLY = 0;
    private const int O_RDWR = 2;
    private const int O_CREAT = 0x40;
    private const int O_CLOEXEC = 0x80000;


    /// <summary>Makes a rename or unlink in <paramref name="directory"/> durable.</summary>
    public static void FsyncDirectory(string directory)
    {
        var fd = open(directory, O_RDONLY | O_CLOEXEC, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot open directory '{directory}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        try
        {
            if (fsync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != EINVAL)
                {
                    // EINVAL: the file system cannot sync directories (some FUSE mounts); the rename itself stands.
                    throw new IOException($"Cannot sync directory '{directory}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    /// <summary>Opens (creating when needed) a file for flock; the descriptor is ours alone, so flock serialises threads too.</summary>
    public static int OpenLockFile(string path)
    {
        var fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, Convert.ToInt32("600", 8));
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot open lock file '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        return fd;
    }

    /// <summary>flock; returns 0 or the errno.</summary>
    public static int Flock(int fd, int operation) => flock(fd, operation) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static void Close(int fd) => _ = close(fd);

    /// <summary>Sets the owner of an open file; returns 0 or the errno.</summary>
    public static int FChown(SafeHandle handle, long uid, long gid)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var fd = (int)handle.DangerousGetHandle();
        return fchown(fd, (uint)uid, (uint)gid) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>access(2) for writing; returns 0 or the errno (EACCES, EROFS ...).</summary>
    public static int CheckWritable(string path) => access(path, W_OK) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>access(2) for listing and entering a folder; returns 0 or the errno.</summary>
    public static int CheckSearchable(string path) => access(path, R_OK | X_OK) == 0 ? 0 : Marshal.GetLastPInvokeError();

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int fd, int operation);

    [DllImport("libc", SetLastError = true)]
    private static extern int fchown(int fd, uint owner, uint group);

    [DllImport("libc", SetLastError = true)]
    private static extern int access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);
}
