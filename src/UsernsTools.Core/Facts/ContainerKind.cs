using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Facts;

/// <summary>The container runtime the process appears to run under.</summary>
[JsonConverter(typeof(EnumNameConverter<ContainerKind>))]
public enum ContainerKind
{
    None,
    Docker,
    Podman,
    Kubernetes,
    Lxc,
    Systemd,
    Other,
}
