using System.Text.Json.Serialization;

namespace UsernsTools.Facts;

/// <summary>
/// A mount on a path below /proc (one line of /proc/self/mountinfo). Containers cover parts of /proc this way
/// (Docker and Podman bind /dev/null over files such as /proc/keys and a read-only tmpfs over /proc/acpi), and while
/// any of them covers content, the kernel refuses a new procfs to a new user namespace: bwrap's
/// <c>--unshare-pid --proc /proc</c> (every Flatpak app) fails.
/// </summary>
public sealed class ProcOvermount
{
    /// <summary>Where it is mounted, e.g. <c>/proc/keys</c>.</summary>
    [JsonInclude] public string MountPoint { get; internal init; } = "";

    /// <summary>The file system type, e.g. <c>tmpfs</c>, <c>devtmpfs</c>, <c>proc</c> (a read-only bind of /proc itself).</summary>
    [JsonInclude] public string FileSystemType { get; internal init; } = "";

    /// <summary>The mount source as the kernel reports it.</summary>
    [JsonInclude] public string Source { get; internal init; } = "";

    /// <summary>The path inside the source file system that is mounted, e.g. <c>/null</c> for a bind of /dev/null.</summary>
    [JsonInclude] public string Root { get; internal init; } = "";

    [JsonInclude] public bool ReadOnly { get; internal init; }
}
