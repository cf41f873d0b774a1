namespace UsernsTools.Platform;

/// <summary>
/// The parts of stat(2) that .NET does not expose: device and inode, file type, permission bits (incl. setuid,
/// setgid and sticky) and owner.
/// </summary>
internal sealed record UnixFileStatus(ulong Device, ulong Inode, int Type, int Mode, long OwnerUid, long OwnerGid)
{
    public const int TypeMask = 0xF000;
    public const int RegularFile = 0x8000;
    public const int DirectoryType = 0x4000;
    public const int SymlinkType = 0xA000;

    public bool IsSetuid => (Mode & 0x800) != 0;

    public bool IsSetgid => (Mode & 0x400) != 0;

    public bool IsSymlink => Type == SymlinkType;

    public bool IsRegularFile => Type == RegularFile;

    public bool IsDirectory => Type == DirectoryType;

    /// <summary>Whether its owner, its group or others may execute it: with none of the three bits, not even root may.</summary>
    public bool AnyoneMayExecute => (Mode & 0x49) != 0;

    /// <summary>The permission bits as chmod takes them (0644, 4755).</summary>
    public string ModeText => Convert.ToString(Mode, 8).PadLeft(4, '0');
}
