using System.Runtime.InteropServices;

namespace UsernsTools.Sandbox;

/// <summary>kill(2) for processes that are not our children (Process.Kill needs a Process object per pid).</summary>
internal static class NativeSignals
{
    public const int SigKill = 9;
    public const int SigStop = 19;

    /// <summary>Sends a signal; false when the process is gone or not ours.</summary>
    public static bool Send(int pid, int signal) => pid > 1 && pid != Environment.ProcessId && Kill(pid, signal) == 0;

    // DllImport rather than LibraryImport: the generated stub needs unsafe code, and int arguments need no marshalling.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
