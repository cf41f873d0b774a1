using Mono.Unix;

namespace UsernsTools.Platform;

/// <summary>
/// Owner and setuid bit of a file, read with stat(2) through Mono.Posix (what a setuid bwrap or newuidmap check needs).
/// Also the smallest engine call that proves the native helper library is found where the module is installed.
/// </summary>
internal readonly record struct UnixFileStatus(long OwnerUid, long OwnerGid, bool IsSetuid, bool IsSetgid)
{
    /// <summary>Stats <paramref name="path"/> (following links); throws <see cref="UsernsException"/> when it cannot.</summary>
    public static UnixFileStatus Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var info = new UnixFileInfo(path);
            info.Refresh();
            if (!info.Exists)
            {
                throw new UsernsException("FileNotFound", UsernsErrorCategory.ObjectNotFound, $"File '{path}' does not exist.", path);
            }

            return new UnixFileStatus(info.OwnerUserId, info.OwnerGroupId, info.IsSetUser, info.IsSetGroup);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new UsernsException("FileNotReadable", UsernsErrorCategory.PermissionDenied, $"File '{path}' cannot be examined: permission denied.", path, ex);
        }
    }
}
