using UsernsTools.Platform;

namespace UsernsTools.Probes.Bwrap;

/// <summary>What stat(2) says about an executable: which file it is (device, inode), its owner and setuid bit.</summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, long? OwnerUid, bool IsSetuid)
{
    /// <summary>The file's identity, or null when it cannot be stat'ed.</summary>
    public static FileIdentity? Of(string path) =>
        UnixFile.Stat(path) is { } stat ? new FileIdentity(stat.Device, stat.Inode, stat.OwnerUid, stat.IsSetuid) : null;
}
