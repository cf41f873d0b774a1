using Mono.Unix.Native;

namespace UsernsTools.Probes.Bwrap;

/// <summary>What stat(2) says about an executable: which file it is (device, inode), its owner and setuid bit.</summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, long? OwnerUid, bool IsSetuid)
{
    /// <summary>The file's identity, or null when it cannot be stat'ed.</summary>
    public static FileIdentity? Of(string path)
    {
        try
        {
            if (Syscall.stat(path, out var stat) != 0)
            {
                return null;
            }

            return new FileIdentity(stat.st_dev, stat.st_ino, stat.st_uid, (stat.st_mode & FilePermissions.S_ISUID) != 0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            // Without Mono's native helper: the setuid bit from .NET, no owner, and the path stands for the file.
            try
            {
                var setuid = (File.GetUnixFileMode(path) & UnixFileMode.SetUser) != 0;
                return new FileIdentity(0, (ulong)StringComparer.Ordinal.GetHashCode(Path.GetFullPath(path)), null, setuid);
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
