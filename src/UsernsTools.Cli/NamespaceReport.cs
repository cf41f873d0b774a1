using System.Globalization;
using UsernsTools.Sandbox;

namespace UsernsTools.Cli;

/// <summary>The text form of a process's namespaces: one kind per line with its inode and whether it is isolated.</summary>
internal static class NamespaceReport
{
    public static void Write(TextWriter w, ProcessNamespace ns)
    {
        w.WriteLine($"Process {ns.ProcessId.ToString(CultureInfo.InvariantCulture)}: isolated from usernstools in {Kinds(ns.IsolatedFrom)}");
        foreach (var (kind, inode) in new (NamespaceKind Kind, long? Inode)[]
        {
            (NamespaceKind.User, ns.UserNamespace),
            (NamespaceKind.Pid, ns.PidNamespace),
            (NamespaceKind.Uts, ns.UtsNamespace),
            (NamespaceKind.Mount, ns.MountNamespace),
            (NamespaceKind.Ipc, ns.IpcNamespace),
            (NamespaceKind.Net, ns.NetNamespace),
            (NamespaceKind.Cgroup, ns.CgroupNamespace),
            (NamespaceKind.Time, ns.TimeNamespace),
        })
        {
            var shown = inode?.ToString(CultureInfo.InvariantCulture) ?? "unreadable";
            var mark = (ns.IsolatedFrom & kind) != 0 ? "  (isolated)" : "";
            w.WriteLine($"  {kind,-7} {shown}{mark}");
        }

        w.WriteLine($"  uid_map {Map(ns.UidMap)}{(ns.IsInitialUserNamespace ? "  (initial user namespace)" : "")}");
        w.WriteLine($"  gid_map {Map(ns.GidMap)}");
    }

    private static string Kinds(NamespaceKind kinds) => kinds == NamespaceKind.None ? "nothing" : kinds.ToString();

    private static string Map(IReadOnlyList<IdMapEntry> map) => map.Count == 0 ? "(none written)" : string.Join(", ", map);
}
