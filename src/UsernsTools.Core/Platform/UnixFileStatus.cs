namespace UsernsTools.Platform;

/// <summary>The parts of stat(2) that .NET does not expose: device, inode and owner.</summary>
internal readonly record struct UnixFileStatus(ulong Device, ulong Inode, long OwnerUid, bool IsSetuid, bool IsSetgid);
