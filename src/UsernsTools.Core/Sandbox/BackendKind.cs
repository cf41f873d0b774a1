using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Sandbox;

/// <summary>The tool that creates the namespaces.</summary>
[JsonConverter(typeof(EnumNameConverter<BackendKind>))]
public enum BackendKind
{
    /// <summary>The first backend that can do the whole spec: unshare, then bwrap.</summary>
    Auto,

    /// <summary>util-linux unshare.</summary>
    Unshare,

    /// <summary>bubblewrap, needed for a read-only root, bind mounts and a loopback network.</summary>
    Bwrap,
}
