using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Sandbox;

/// <summary>Kinds of Linux namespace a sandboxed process can get its own copy of.</summary>
[Flags]
[JsonConverter(typeof(EnumNameConverter<NamespaceKind>))]
public enum NamespaceKind
{
    None = 0,
    User = 1,
    Pid = 2,
    Uts = 4,
    Mount = 8,
    Ipc = 16,
    Net = 32,
    Cgroup = 64,
    Time = 128,
}
