using System.ComponentModel;
using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace UsernsTools.Platform;

/// <summary>
/// Starts a child as another user by switching the calling thread alone to that user's ids and groups around the start:
/// posix_spawn gives the child the credentials of the thread that calls it. These are the raw system calls, which Mono.Unix
/// does not offer: glibc's setresuid and setgroups change every thread of the process. Root keeps its saved ids while the
/// thread is switched, so the switch back is always allowed; the child gives them up when it runs a program that is not
/// set-user-ID.
/// </summary>
internal static class ThreadCredentials
{
    private static readonly (long GetGroups, long SetGroups, long SetResUid, long GetResUid, long SetResGid, long GetResGid) s_calls =
        RuntimeInformation.ProcessArchitecture == Architecture.Arm64
            ? (158, 159, 147, 148, 149, 150)
            : (115, 116, 117, 118, 119, 120);

    /// <summary>
    /// Runs <paramref name="start"/> (which starts a child and returns its pid) with this thread switched to
    /// <paramref name="user"/>: the uid and gid the user database gives, with the user's groups.
    /// </summary>
    /// <exception cref="Win32Exception">The user is unknown (ENOENT), or this thread may not become them (EPERM for a caller that is not root).</exception>
    /// <exception cref="CredentialsNotRestoredException">The child started but this thread could not be switched back; the child was killed.</exception>
    public static int StartAs(string user, Func<int> start)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(start);
        if (Syscall.getpwnam(user) is not { } entry)
        {
            throw new Win32Exception(PosixNative.ENOENT, $"No user named {user}.");
        }

        var groups = (Syscall.getgrouplist(entry) ?? Array.Empty<Group>()).Select(g => g.gr_gid).Append(entry.pw_gid).Distinct().ToArray();
        var saved = Current();
        var taken = Switch(groups, (entry.pw_gid, entry.pw_gid, saved.Gids.Saved), (entry.pw_uid, entry.pw_uid, saved.Uids.Saved), out var errno);
        if (taken < Steps)
        {
            // What took effect is undone before the refusal is reported; nothing else is touched (a namespace may deny
            // setgroups even to put back the groups it never let change).
            if (!Undo(saved, taken))
            {
                throw new CredentialsNotRestoredException();
            }

            throw new Win32Exception(errno);
        }

        int pid;
        try
        {
            pid = start();
        }
        catch
        {
            if (!Undo(saved, Steps))
            {
                throw new CredentialsNotRestoredException();
            }

            throw;
        }

        if (!Undo(saved, Steps))
        {
            _ = Syscall.kill(pid, Signum.SIGKILL);
            _ = PosixSpawn.Reap(pid, wait: true);
            throw new CredentialsNotRestoredException();
        }

        return pid;
    }

    /// <summary>The steps of a switch: the gids, the groups, the uids.</summary>
    private const int Steps = 3;

    /// <summary>Takes the steps in order; returns how many took effect (all three, or the errno of the one refused).</summary>
    private static int Switch(uint[] groups, (uint Real, uint Effective, uint Saved) gids, (uint Real, uint Effective, uint Saved) uids, out int errno)
    {
        errno = 0;

        // The gid first: where the user has no id (a namespace that does not map it) that is the refusal to report
        // (EINVAL), not the refusal of setgroups that such a namespace may also deny.
        if (Call(s_calls.SetResGid, gids.Real, gids.Effective, gids.Saved) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return 0;
        }

        if (SetGroups(groups) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return 1;
        }

        if (Call(s_calls.SetResUid, uids.Real, uids.Effective, uids.Saved) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return 2;
        }

        return Steps;
    }

    /// <summary>
    /// Undoes the first <paramref name="taken"/> steps, the uids first: with root's effective id back, the groups and gids
    /// may be set again.
    /// </summary>
    private static bool Undo(Credentials saved, int taken) =>
        (taken < 3 || Call(s_calls.SetResUid, saved.Uids.Real, saved.Uids.Effective, saved.Uids.Saved) == 0)
        && (taken < 2 || SetGroups(saved.Groups) == 0)
        && (taken < 1 || Call(s_calls.SetResGid, saved.Gids.Real, saved.Gids.Effective, saved.Gids.Saved) == 0);

    private static unsafe Credentials Current()
    {
        uint ru, eu, su, rg, eg, sg;
        if (LibcSyscall.Call(s_calls.GetResUid, (nint)(&ru), (nint)(&eu), (nint)(&su)) != 0 || LibcSyscall.Call(s_calls.GetResGid, (nint)(&rg), (nint)(&eg), (nint)(&sg)) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }

        var count = (int)LibcSyscall.Call(s_calls.GetGroups, 0, 0, 0);
        var groups = new uint[Math.Max(count, 0)];
        fixed (uint* list = groups)
        {
            count = (int)LibcSyscall.Call(s_calls.GetGroups, groups.Length, (nint)list, 0);
        }

        if (count < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }

        return new Credentials((ru, eu, su), (rg, eg, sg), groups[..count]);
    }

    private static unsafe long SetGroups(uint[] groups)
    {
        fixed (uint* list = groups)
        {
            return LibcSyscall.Call(s_calls.SetGroups, groups.Length, (nint)list, 0);
        }
    }

    private static long Call(long number, uint a, uint b, uint c) => LibcSyscall.Call(number, (nint)a, (nint)b, (nint)c);

    private sealed record Credentials((uint Real, uint Effective, uint Saved) Uids, (uint Real, uint Effective, uint Saved) Gids, uint[] Groups);
}

/// <summary>A thread switched to another user for a start could not be switched back; it must run nothing more.</summary>
internal sealed class CredentialsNotRestoredException : Exception
{
    public CredentialsNotRestoredException()
        : base("This thread could not take back its own user and groups after starting a helper as another user.")
    {
    }
}
