using System.Globalization;

namespace UsernsTools.Sandbox;

/// <summary>A snapshot of /proc: each live (not zombie) process, its parent and when it started.</summary>
internal sealed class ProcessTable
{
    private readonly Dictionary<int, int> _parents = new();
    private readonly Dictionary<int, ulong> _starts = new();

    private ProcessTable()
    {
    }

    public IReadOnlyDictionary<int, int> Parents => _parents;

    /// <summary>Start time of each process in clock ticks since boot (/proc/PID/stat field 22).</summary>
    public IReadOnlyDictionary<int, ulong> StartTimes => _starts;

    public static ProcessTable Read()
    {
        var table = new ProcessTable();
        foreach (var pid in ListPids())
        {
            if (ReadStat(pid) is { } stat && stat.State is not ('Z' or 'X'))
            {
                table._parents[pid] = stat.ParentId;
                table._starts[pid] = stat.StartTime;
            }
        }

        return table;
    }

    /// <summary><paramref name="root"/> and every live process below it.</summary>
    public HashSet<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var (pid, parent) in _parents)
        {
            if (!children.TryGetValue(parent, out var list))
            {
                children[parent] = list = new List<int>();
            }

            list.Add(pid);
        }

        var result = new HashSet<int>();
        if (!_parents.ContainsKey(root))
        {
            return result;
        }

        var stack = new Stack<int>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var pid = stack.Pop();
            if (result.Add(pid) && children.TryGetValue(pid, out var list))
            {
                foreach (var child in list)
                {
                    stack.Push(child);
                }
            }
        }

        return result;
    }

    /// <summary>Whether process group <paramref name="group"/> has its leader and all its live members stopped (state T).</summary>
    public static bool IsStoppedGroup(int group)
    {
        // The leader (pid = pgrp) first: one file read answers "no" while an interactive program runs, which is every check.
        if (ReadFields(group) is not { } leader || leader[0][0] != 'T')
        {
            return false;
        }

        var members = 0;
        foreach (var pid in ListPids())
        {
            if (ReadFields(pid) is not { } fields || fields.Length < 3
                || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var pgrp) || pgrp != group)
            {
                continue;
            }

            var state = fields[0][0];
            if (state is 'Z' or 'X')
            {
                continue;
            }

            if (state != 'T')
            {
                return false;
            }

            members++;
        }

        return members > 0;
    }

    public static IEnumerable<int> ListPids()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    /// <summary>State, parent and start time (clock ticks after boot) from /proc/PID/stat.</summary>
    public static (char State, int ParentId, ulong StartTime)? ReadStat(int pid)
    {
        // After the name: state (field 3), ppid (4), ..., starttime (22).
        var fields = ReadFields(pid);
        return fields is { Length: >= 20 }
            && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
            && ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? (fields[0][0], parent, start)
            : null;
    }

    /// <summary>
    /// The CPU time, in clock ticks, of the children <paramref name="pid"/> has waited for (cutime plus cstime, fields 16
    /// and 17): each parent adds the children it waits for to its own, so it holds their children's too.
    /// </summary>
    public static ulong? ReadWaitedChildrenTicks(int pid)
    {
        var fields = ReadFields(pid);
        return fields is { Length: >= 16 }
            && ulong.TryParse(fields[13], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            && ulong.TryParse(fields[14], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
            ? user + system
            : null;
    }

    /// <summary>The fields of /proc/PID/stat after the name (state, ppid, pgrp, ...); the name may hold spaces and parentheses, so split after the last ')'.</summary>
    private static string[]? ReadFields(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        var end = text.LastIndexOf(')');
        if (end < 0 || end + 4 >= text.Length)
        {
            return null;
        }

        var fields = text[(end + 2)..].Split(' ', 21);
        return fields[0].Length > 0 ? fields : null;
    }
}
