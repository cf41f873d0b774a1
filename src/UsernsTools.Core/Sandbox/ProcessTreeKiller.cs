using System.Globalization;

namespace UsernsTools.Sandbox;

/// <summary>
/// Kills everything a sandbox started: the process tree below the backend, every process in a namespace
/// that tree created, and every process still holding the run's stdout or stderr pipe (children that
/// escaped the tree by being reparented). The tree is frozen with SIGSTOP first, so nothing can fork
/// between being seen and being killed, then all of it gets SIGKILL.
/// </summary>
internal static class ProcessTreeKiller
{
    private const int MaxRounds = 20;

    /// <param name="root">The backend's pid, or null when it has exited and been reaped (its pid may be reused).</param>
    /// <param name="pipes">The <c>pipe:[inode]</c> names of the run's stdout and stderr.</param>
    public static int Kill(int? root, IReadOnlyCollection<string> pipes)
    {
        ArgumentNullException.ThrowIfNull(pipes);
        var self = Environment.ProcessId;
        var stopped = new HashSet<int>();
        var sandboxNamespaces = new HashSet<string>(StringComparer.Ordinal);
        for (var round = 0; round < MaxRounds; round++)
        {
            var table = ProcessTable.Read();
            var members = root is { } r ? table.Descendants(r) : new HashSet<int>();
            CollectSandboxNamespaces(members, sandboxNamespaces);
            members.UnionWith(SharingNamespaces(table, sandboxNamespaces));
            members.UnionWith(HoldingPipes(table, pipes, self));
            members.Remove(self);
            members.ExceptWith(stopped);
            if (members.Count == 0)
            {
                break;
            }

            foreach (var pid in members)
            {
                NativeSignals.Send(pid, NativeSignals.SigStop);
                stopped.Add(pid);
            }
        }

        foreach (var pid in stopped)
        {
            NativeSignals.Send(pid, NativeSignals.SigKill);
        }

        return stopped.Count;
    }

    /// <summary>The pipe a process has on <paramref name="fd"/>, e.g. <c>pipe:[123]</c>, or null.</summary>
    public static string? PipeOf(int pid, int fd)
    {
        var target = ReadLink("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/fd/" + fd.ToString(CultureInfo.InvariantCulture));
        return target is not null && target.StartsWith("pipe:", StringComparison.Ordinal) ? target : null;
    }

    private static void CollectSandboxNamespaces(HashSet<int> members, HashSet<string> into)
    {
        foreach (var kind in ProcessNamespaceReader.Kinds)
        {
            var own = ProcessNamespaceReader.ReadLink(Environment.ProcessId, kind.File);
            foreach (var pid in members)
            {
                var link = ProcessNamespaceReader.ReadLink(pid, kind.File);
                if (link is not null && own is not null && !string.Equals(link, own, StringComparison.Ordinal))
                {
                    into.Add(kind.File + "/" + link);
                }
            }
        }
    }

    private static IEnumerable<int> SharingNamespaces(ProcessTable table, HashSet<string> namespaces)
    {
        if (namespaces.Count == 0)
        {
            yield break;
        }

        var files = namespaces.Select(n => n[..n.IndexOf('/', StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var pid in table.Parents.Keys)
        {
            foreach (var file in files)
            {
                var link = ProcessNamespaceReader.ReadLink(pid, file);
                if (link is not null && namespaces.Contains(file + "/" + link))
                {
                    yield return pid;
                    break;
                }
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
