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
    private static readonly BlockingCollection<(Action Start, TaskCompletionSource Done)> s_queue = new();

    static ProcessSpawner()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "UsernsTools sandbox spawner" };
        thread.Start();
    }

    /// <summary>Calls <see cref="Process.Start()"/> on the spawner thread; faults with its exception.</summary>
    public static Task StartAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return StartAsync(() => _ = process.Start());
    }

    /// <summary>Runs <paramref name="start"/> (which starts a child) on the spawner thread; faults with its exception.</summary>
    public static Task StartAsync(Action start)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        s_queue.Add((start, done));
        return done.Task;
    }

    private static void Loop()
    {
        foreach (var (start, done) in s_queue.GetConsumingEnumerable())
        {
            try
            {
                start();
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
