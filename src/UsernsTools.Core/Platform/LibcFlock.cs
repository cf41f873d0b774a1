using System.Runtime.InteropServices;

namespace UsernsTools.Platform;

/// <summary>
/// flock(2), which Mono.Unix does not offer: its fcntl locks belong to the process, so two descriptors of one
/// process would not exclude each other, while flock locks belong to the open file.
/// </summary>
internal static partial class LibcFlock
{
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const int LOCK_UN = 8;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int flock(int fd, int operation);
}
