namespace UsernsTools.Configuration;

/// <summary>What lstat says about a path: type bits, permission bits (incl. setuid/setgid/sticky) and owner.</summary>
internal sealed record PosixStat(int Type, int Mode, long Uid, long Gid)
{
    public bool IsSymlink => Type == PosixNative.S_IFLNK;

    public bool IsRegularFile => Type == PosixNative.S_IFREG;

    public bool IsDirectory => Type == PosixNative.S_IFDIR;
}
