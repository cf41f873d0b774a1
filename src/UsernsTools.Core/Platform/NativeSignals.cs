using Mono.Unix.Native;

namespace UsernsTools.Platform;

/// <summary>kill(2) for processes that are not our children (Process.Kill needs a Process object per pid).</summary>
internal static class NativeSignals
{
    /// <summary>Sends a signal; false when the process is gone or not ours.</summary>
    public static bool Send(int pid, Signum signal) => pid > 1 && pid != Environment.ProcessId && Syscall.kill(pid, signal) == 0;

    /// <summary>SIGKILL.</summary>
    public static bool Kill(int pid) => Send(pid, Signum.SIGKILL);

    /// <summary>SIGSTOP, so a process cannot fork while its tree is being collected.</summary>
    public static bool Stop(int pid) => Send(pid, Signum.SIGSTOP);
}
