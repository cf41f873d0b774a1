using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace UsernsTools.Platform;

/// <summary>
/// A file's extended attributes (user.*, security.selinux, system.posix_acl_access ...) through Mono.Unix: what a
/// file replaced by rename would lose, since the new inode starts with none of them.
/// </summary>
internal static class ExtendedAttributes
{
    private const int ENODATA = 61;
    private const int EOPNOTSUPP = 95;

    /// <summary>
    /// Every attribute of <paramref name="path"/> (not following a final link), by name in the order the file system
    /// lists them; empty when the file system has none. An IOException carrying the errno for any other failure.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, byte[]>> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Syscall.llistxattr(path, out var names) < 0)
        {
            var errno = PosixNative.LastError();
            if (errno == EOPNOTSUPP)
            {
                return Array.Empty<KeyValuePair<string, byte[]>>();
            }

            throw new IOException($"Cannot list the extended attributes of '{path}': {PosixNative.ErrorMessage(errno)}", errno);
        }

        var attributes = new List<KeyValuePair<string, byte[]>>(names.Length);
        foreach (var name in names)
        {
            if (Syscall.lgetxattr(path, name, out var value) < 0)
            {
                var errno = PosixNative.LastError();
                if (errno == ENODATA)
                {
                    // Removed between the list and the read: it is no longer part of the file.
                    continue;
                }

                throw new IOException($"Cannot read the extended attribute {name} of '{path}': {PosixNative.ErrorMessage(errno)}", errno);
            }

            attributes.Add(new KeyValuePair<string, byte[]>(name, value ?? Array.Empty<byte>()));
        }

        return attributes;
    }

    /// <summary>
    /// Sets each of <paramref name="attributes"/> on the open file (created or replaced). What the file system gave the
    /// new file itself (a label, an inherited ACL) is left as it is. Returns 0 or the errno of the first failure.
    /// </summary>
    public static int Set(SafeHandle handle, IReadOnlyList<KeyValuePair<string, byte[]>> attributes, out string? failedName)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(attributes);
        failedName = null;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            foreach (var (name, value) in attributes)
            {
                if (Syscall.fsetxattr(fd, name, value, (ulong)value.Length, XattrFlags.XATTR_AUTO) != 0)
                {
                    failedName = name;
                    return PosixNative.LastError();
                }
            }

            return 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
