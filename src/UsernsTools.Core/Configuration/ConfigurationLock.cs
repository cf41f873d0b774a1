using System.Diagnostics;
using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>
/// flock on /var/lib/usernstools/lock so concurrent runs (processes or threads) apply one at a time. Each holder
/// opens its own descriptor: flock belongs to the open file, so two handles in one process exclude each other too.
/// The kernel drops the lock when the holder dies, so a crash never leaves it stuck.
/// </summary>
internal sealed class ConfigurationLock : IDisposable
{
    private int _fd;

    private ConfigurationLock(int fd)
    {
        _fd = fd;
    }

    public static ConfigurationLock Acquire(string root, TimeSpan timeout, CancellationToken cancellationToken)
    {
        AtomicFile.EnsureDirectory(root, ManagedPaths.JournalDir);
        var path = ManagedPaths.Contained(root, ManagedPaths.LockFile, includeLast: true);
        if (UnixFile.LStat(path) is { IsSymlink: true })
        {
            throw new UsernsException("TargetIsSymlink", UsernsErrorCategory.InvalidData, $"{path} is a symbolic link; refusing to use it.", path);
        }

        int fd;
        try
        {
            fd = PosixNative.OpenLockFile(path);
        }
        catch (IOException ex)
        {
            throw IoFailure.From(ex, path, "open");
        }

        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var errno = PosixNative.TryLockExclusive(fd);
            if (errno == 0)
            {
                return new ConfigurationLock(fd);
            }

            if (errno != PosixNative.EAGAIN && errno != PosixNative.EINTR)
            {
                PosixNative.Close(fd);
                throw new UsernsException("LockFailed", UsernsErrorCategory.WriteError, $"Cannot lock {path} (errno {errno}).", path);
            }

            if (stopwatch.Elapsed > timeout)
            {
                PosixNative.Close(fd);
                throw new UsernsException(
                    "ConfigurationLocked",
                    UsernsErrorCategory.ResourceUnavailable,
                    $"Another UsernsTools run has held {path} for over {timeout.TotalSeconds:0} s; try again when it has finished.",
                    path);
            }

            if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(10)))
            {
                PosixNative.Close(fd);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            PosixNative.Unlock(fd);
            PosixNative.Close(fd);
        }
    }
}
