using System.Globalization;

namespace UsernsTools.Sandbox;

/// <summary>A snapshot of /proc: each live (not zombie) process and its parent.</summary>
internal sealed class ProcessTable
{
    private readonly Dictionary<int, int> _parents = new();

    private ProcessTable()
    {
    }

    public IReadOnlyDictionary<int, int> Parents => _parents;

    public static ProcessTable Read()
    {
        var table = new ProcessTable();
        foreach (var pid in ListPids())
        {
            if (ReadStat(pid) is { } stat && stat.State is not ('Z' or 'X'))
            {
                table._parents[pid] = stat.ParentId;
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

    /// <summary>State and parent from /proc/PID/stat.</summary>
    public static (char State, int ParentId)? ReadStat(int pid) =>
        ReadFields(pid) is { Length: >= 2 } fields && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
            ? (fields[0][0], parent)
            : null;

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

        var fields = text[(end + 2)..].Split(' ', 4);
        return fields[0].Length > 0 ? fields : null;
    }
}
