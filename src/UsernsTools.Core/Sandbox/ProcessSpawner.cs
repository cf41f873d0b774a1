using System.Collections.Concurrent;
using System.Diagnostics;

namespace UsernsTools.Sandbox;

/// <summary>
/// Starts processes from one thread that lives as long as the caller. A parent-death signal (setpriv
/// --pdeathsig, bwrap --die-with-parent) fires when the thread that forked the child exits, not the
/// process: a thread-pool thread retiring after an idle minute would kill a long sandbox for nothing.
/// </summary>
internal static class ProcessSpawner
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Done)> s_queue = new();

    static ProcessSpawner()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "UsernsTools sandbox spawner" };
        thread.Start();
    }

    /// <summary>Calls <see cref="Process.Start()"/> on the spawner thread; faults with its exception.</summary>
    public static Task StartAsync(Process process)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        s_queue.Add((process, done));
        return done.Task;
    }

    private static void Loop()
    {
        foreach (var (process, done) in s_queue.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                done.SetResult();
            }
#pragma warning disable CA1031 // Any start failure belongs to the caller awaiting it, not to this thread.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                done.SetException(ex);
            }
        }
    }
}
