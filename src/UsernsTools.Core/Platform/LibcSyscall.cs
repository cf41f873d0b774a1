using System.Runtime.InteropServices;

namespace UsernsTools.Platform;

/// <summary>
/// syscall(2), for the system calls neither Mono.Unix nor the C library offers as they are needed: the per-thread
/// credential calls (glibc's wrappers change every thread) and pidfd_open. Up to three arguments; -1 with errno on failure.
/// </summary>
internal static partial class LibcSyscall
{
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    internal static partial long Call(long number, nint a, nint b, nint c);
}
