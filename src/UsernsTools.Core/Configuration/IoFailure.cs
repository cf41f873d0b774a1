using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>Turns an I/O error into the engine's exception with an id a script can match.</summary>
internal static class IoFailure
{
    /// <summary>The errno carried by an exception from a .NET file call or from <see cref="PosixNative"/>.</summary>
    public static int Errno(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex switch
        {
            UnauthorizedAccessException => PosixNative.EACCES,
            IOException io when io.HResult > 0 && io.HResult < 4096 => io.HResult,
            _ => 0,
        };
    }

    public static UsernsException From(Exception ex, string target, string action)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (ex is UsernsException usernsException)
        {
            return usernsException;
        }

        var errno = Errno(ex);
        if (ex.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase))
        {
            errno = PosixNative.ENOSPC;
        }
        else if (ex.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase))
        {
            errno = PosixNative.EROFS;
        }

        return errno switch
        {
            PosixNative.ENOSPC or PosixNative.EDQUOT => new UsernsException(
                "NoSpaceLeft", UsernsErrorCategory.WriteError, $"Cannot {action} {target}: no space left on the file system.", target, ex),
            PosixNative.EROFS => new UsernsException(
                "ReadOnlyFileSystem", UsernsErrorCategory.WriteError, $"Cannot {action} {target}: the file system is read-only.", target, ex),
            PosixNative.EACCES or PosixNative.EPERM => PermissionDenied(target, action, ex),
            _ => new UsernsException("WriteFailed", UsernsErrorCategory.WriteError, $"Cannot {action} {target}: {ex.Message}", target, ex),
        };
    }

    public static UsernsException PermissionDenied(string target, string action, Exception? inner = null) => new(
        "PermissionDenied",
        UsernsErrorCategory.PermissionDenied,
        $"Permission denied to {action} {target}: changing the system configuration needs root. Run the command again with sudo. Nothing was changed.",
        target,
        inner);
}
