using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace UsernsTools.Platform;

/// <summary>
/// The kernel ring buffer read whole in one call: klogctl(3) (the syslog(2) system call), which Mono.Unix does not offer.
/// /dev/kmsg hands out one record per read(2), and on a machine that has logged a thousand records since boot those
/// reads cost a status about 2 ms; the kernel formats the same records for one call in about half that.
/// </summary>
internal static partial class KernelLog
{
    /// <summary>The device whose records <see cref="ReadAll"/> returns.</summary>
    public const string DevicePath = "/dev/kmsg";

    private const int SyslogActionReadAll = 3;
    private const int SyslogActionSizeBuffer = 10;

    /// <summary>
    /// Every record the ring buffer holds, as <c>dmesg --raw</c> prints them (<c>&lt;6&gt;[   12.345678] text</c>, a line
    /// each), with <paramref name="length"/> the bytes used; null with the errno when the call is refused (a seccomp
    /// filter, a security module, or dmesg_restrict without CAP_SYSLOG).
    /// </summary>
    public static byte[]? ReadAll(out int length, out int errno)
    {
        length = 0;
        var size = klogctl(SyslogActionSizeBuffer, null, 0);
        if (size <= 0)
        {
            errno = size < 0 ? Marshal.GetLastPInvokeError() : 0;
            return null;
        }

        // The size is that of the stored text; each line printed gains its priority and time (some 20 bytes, more with
        // the caller's id), and the call drops the oldest records that do not fit. Room for twice the text holds them all;
        // only what the kernel writes is touched.
        var room = (2 * size) + (16 * 1024);
        var buffer = GC.AllocateUninitializedArray<byte>(room);
        length = klogctl(SyslogActionReadAll, buffer, room);
        errno = length < 0 ? Marshal.GetLastPInvokeError() : 0;
        return length < 0 ? null : buffer;
    }

    /// <summary>Moves a /dev/kmsg descriptor to the record the kernel logs next; false when the device refuses.</summary>
    public static bool SeekToEnd(int fd) => Syscall.lseek(fd, 0, SeekFlags.SEEK_END) >= 0;

    /// <summary>Moves a /dev/kmsg descriptor back to the oldest record the ring buffer holds.</summary>
    public static bool SeekToStart(int fd) => Syscall.lseek(fd, 0, SeekFlags.SEEK_SET) >= 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int klogctl(int type, [Out] byte[]? buffer, int length);
}
