using System.Text.Json.Serialization;

namespace UsernsTools.Sandbox;

/// <summary>
/// The namespaces a process is in (the inode of each /proc/PID/ns link), its id maps, and the kinds in
/// which it is isolated from the caller. Inodes are null where the link could not be read (another
/// user's process, or a kernel without that kind).
/// </summary>
public sealed class ProcessNamespace
{
    [JsonInclude] public int ProcessId { get; internal init; }

    [JsonInclude] public long? UserNamespace { get; internal init; }

    [JsonInclude] public long? PidNamespace { get; internal init; }

    [JsonInclude] public long? UtsNamespace { get; internal init; }

    [JsonInclude] public long? MountNamespace { get; internal init; }

    [JsonInclude] public long? IpcNamespace { get; internal init; }

    [JsonInclude] public long? NetNamespace { get; internal init; }

    [JsonInclude] public long? CgroupNamespace { get; internal init; }

    [JsonInclude] public long? TimeNamespace { get; internal init; }

    /// <summary>The process's uid_map; empty when no map was written (or it was unreadable).</summary>
    [JsonInclude] public IReadOnlyList<IdMapEntry> UidMap { get; internal init; } = Array.Empty<IdMapEntry>();

    [JsonInclude] public IReadOnlyList<IdMapEntry> GidMap { get; internal init; } = Array.Empty<IdMapEntry>();

    /// <summary>Kinds whose namespace differs from the caller's.</summary>
    [JsonInclude] public NamespaceKind IsolatedFrom { get; internal init; }

    /// <summary>Kinds whose link could not be read, so they are not compared.</summary>
    [JsonInclude] public NamespaceKind Unreadable { get; internal init; }

    /// <summary>The uid map is the identity map of the initial user namespace (<c>0 0 4294967295</c>).</summary>
    [JsonInclude] public bool IsInitialUserNamespace { get; internal init; }
}
