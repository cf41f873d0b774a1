namespace UsernsTools.Facts;

/// <summary>The container runtime the process appears to run under.</summary>
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
