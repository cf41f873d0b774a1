using System.Globalization;
using UsernsTools.Platform;

namespace UsernsTools.Sandbox;

/// <summary>
/// Kills everything a sandbox started: the process tree below the backend and every process in a
/// namespace that tree created (<see cref="KillTree"/>), then, if the output pipes are still open,
/// every process holding them (<see cref="KillPipeHolders"/>): children that escaped the tree by being
/// reparented. The tree is frozen with SIGSTOP first, so nothing can fork between being seen and being
/// killed, then all of it gets SIGKILL. Scanning /proc is the cost, so the pipe scan runs only when needed.
/// </summary>
internal static class ProcessTreeKiller
{
    private const int MaxRounds = 20;

    /// <summary>
    /// Kills <paramref name="root"/>, its descendants and the processes in a namespace the run created; returns how many.
    /// </summary>
    /// <param name="root">The backend's pid, or null when it has exited and been reaped (its pid may be reused).</param>
    /// <param name="created">
    /// The namespace kinds the run asked the backend to create: only those are swept. A member of the tree may have
    /// entered any other namespace (nsenter, setns) that belongs to processes the run never started.
    /// </param>
    public static int KillTree(int? root, NamespaceKind created)
    {
        if (root is null)
        {
            return 0;
        }

        var stopped = new HashSet<int>();
        (string File, HashSet<string> Links)? sandbox = null;
        ulong? runStart = null;
        for (var round = 0; round < MaxRounds; round++)
        {
            var table = ProcessTable.Read();
            var members = table.Descendants(root.Value);
            runStart ??= table.StartTimes.TryGetValue(root.Value, out var start) ? start : null;
            if (runStart is { } since)
            {
                sandbox ??= SandboxNamespace(table, members, created, since);
                if (sandbox is { } ns)
                {
                    members.UnionWith(Sharing(table, ns.File, ns.Links, since));
                }
            }

            members.Remove(Environment.ProcessId);
            members.ExceptWith(stopped);
            if (members.Count == 0)
            {
                break;
            }

            foreach (var pid in members)
            {
                NativeSignals.Stop(pid);
                stopped.Add(pid);
            }
        }

        foreach (var pid in stopped)
        {
            NativeSignals.Kill(pid);
        }

        return stopped.Count;
    }

    /// <summary>Kills processes (not our own children) holding any of <paramref name="pipes"/>; returns how many.</summary>
    /// <param name="pipes">The <c>pipe:[inode]</c> names of the run's stdout and stderr.</param>
    public static int KillPipeHolders(IReadOnlyCollection<string> pipes)
    {
        ArgumentNullException.ThrowIfNull(pipes);
        var killed = 0;
        for (var round = 0; round < 3 && pipes.Count > 0; round++)
        {
            var holders = HoldingPipes(ProcessTable.Read(), pipes, Environment.ProcessId).ToList();
            if (holders.Count == 0)
            {
                break;
            }

            foreach (var pid in holders)
            {
                NativeSignals.Kill(pid);
            }

            killed += holders.Count;
        }

        return killed;
    }

    /// <summary>The pipe a process has on <paramref name="fd"/>, e.g. <c>pipe:[123]</c>, or null.</summary>
    public static string? PipeOf(int pid, int fd)
    {
        var target = ReadLink("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/fd/" + fd.ToString(CultureInfo.InvariantCulture));
        return target is not null && target.StartsWith("pipe:", StringComparison.Ordinal) ? target : null;
    }

    /// <summary>
    /// One kind of namespace the run created, the widest first: every process of a sandbox with a new user
    /// namespace is in it, so comparing that one link per process finds them all. A namespace differing from ours
    /// is the run's only if it is of a kind the run asked for and no process outside the tree that is older than
    /// the run is in it: a namespace cannot hold a process started before it existed, unless that process entered
    /// it, and a tree member that entered someone else's namespace (nsenter -t PID) finds that PID there.
    /// </summary>
    private static (string File, HashSet<string> Links)? SandboxNamespace(ProcessTable table, HashSet<int> members, NamespaceKind created, ulong runStart)
    {
        foreach (var (kind, file) in ProcessNamespaceReader.Kinds)
        {
            if ((created & kind) == 0)
            {
                continue;
            }

            var own = ProcessNamespaceReader.ReadLink(Environment.ProcessId, file);
            var links = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pid in members)
            {
                var link = ProcessNamespaceReader.ReadLink(pid, file);
                if (link is not null && own is not null && !string.Equals(link, own, StringComparison.Ordinal))
                {
                    links.Add(link);
                }
            }

            links.ExceptWith(OlderOutsiders(table, members, file, runStart));
            if (links.Count > 0)
            {
                return (file, links);
            }
        }

        return null;
    }

    /// <summary>The <paramref name="file"/> namespaces of processes outside the tree that started before the run.</summary>
    private static HashSet<string> OlderOutsiders(ProcessTable table, HashSet<int> members, string file, ulong runStart)
    {
        var links = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (pid, start) in table.StartTimes)
        {
            if (start < runStart && !members.Contains(pid) && ProcessNamespaceReader.ReadLink(pid, file) is { } link)
            {
                links.Add(link);
            }
        }

        return links;
    }

    /// <summary>Processes in one of <paramref name="links"/> that started with or after the run (older ones entered it from outside).</summary>
    private static IEnumerable<int> Sharing(ProcessTable table, string file, HashSet<string> links, ulong runStart)
    {
        foreach (var (pid, start) in table.StartTimes)
        {
            if (start < runStart)
            {
                continue;
            }

            var link = ProcessNamespaceReader.ReadLink(pid, file);
            if (link is not null && links.Contains(link))
            {
                yield return pid;
            }
        }
    }

    private static IEnumerable<int> HoldingPipes(ProcessTable table, IReadOnlyCollection<string> pipes, int self)
    {
        if (pipes.Count == 0)
        {
            yield break;
        }

        foreach (var (pid, parent) in table.Parents)
        {
            // Our own other children may hold the pipe for an instant between fork and exec (the
            // descriptors are close-on-exec): they belong to other runs, never kill them.
            if (pid == self || parent == self)
            {
                continue;
            }

            IEnumerable<string> fds;
            try
            {
                fds = Directory.EnumerateFileSystemEntries("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/fd").ToList();
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var fd in fds)
            {
                var target = ReadLink(fd);
                if (target is not null && pipes.Contains(target))
                {
                    yield return pid;
                    break;
                }
            }
        }
    }

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
