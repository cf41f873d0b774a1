using UsernsTools.Platform;

namespace UsernsTools.Facts;

/// <summary>Recognises containers, WSL, gVisor and chroots from the marks they leave.</summary>
internal static class EnvironmentReader
{
    /// <summary>The fixed version string gVisor's Sentry reports instead of a real kernel's build stamp.</summary>
    internal const string GvisorKernelVersion = "#1 SMP Sun Jan 10 15:06:54 PST 2016";

    /// <summary>When several runtimes leave marks (a Kubernetes pod on Docker has both), the outermost orchestrator names the kind.</summary>
    private static readonly ContainerKind[] s_priority =
    {
        ContainerKind.Kubernetes, ContainerKind.Podman, ContainerKind.Docker, ContainerKind.Lxc, ContainerKind.Systemd, ContainerKind.Other,
    };

    public static EnvironmentFacts Read(string root, KernelFacts kernel, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(environment);
        var evidence = new List<(ContainerKind Kind, string Text)>();
        if (File.Exists(RootedPath.Combine(root, "/.dockerenv")))
        {
            evidence.Add((ContainerKind.Docker, "/.dockerenv"));
        }

        if (File.Exists(RootedPath.Combine(root, "/run/.containerenv")))
        {
            evidence.Add((ContainerKind.Podman, "/run/.containerenv"));
        }

        if (ContainerFromInitEnvironment(RootedPath.ReadText(root, "/proc/1/environ")) is { } container)
        {
            evidence.Add((KindFromContainerVariable(container), $"container={container} in /proc/1/environ"));
        }

        evidence.AddRange(CgroupEvidence(RootedPath.ReadText(root, "/proc/1/cgroup")));
        if (environment.TryGetValue("KUBERNETES_SERVICE_HOST", out var k8s) && !string.IsNullOrEmpty(k8s))
        {
            evidence.Add((ContainerKind.Kubernetes, "KUBERNETES_SERVICE_HOST in the environment"));
        }

        var gvisor = GvisorEvidence(kernel, RootedPath.ReadValue(root, "/proc/cmdline"));
        evidence.AddRange(gvisor.Select(g => (ContainerKind.Other, g)));

        var kind = s_priority.FirstOrDefault(k => evidence.Any(e => e.Kind == k), ContainerKind.None);
        return new EnvironmentFacts
        {
            Container = kind,
            ContainerEvidence = evidence.Select(e => e.Text).Distinct(StringComparer.Ordinal).ToArray(),
            Wsl = DetectWsl(kernel.Release),
            Gvisor = gvisor.Count > 0,
            InChroot = MachineRoot.IsLive(root) ? DetectChroot() : null,
            ProcOvermounts = MountInfoReader.ProcOvermounts(RootedPath.ReadText(root, "/proc/self/mountinfo")),
        };
    }

    /// <summary>WSL kernels say so in their release: <c>4.4.0-19041-Microsoft</c> (WSL1), <c>5.15.90.1-microsoft-standard-WSL2</c>.</summary>
    internal static WslKind DetectWsl(string? release)
    {
        if (release is null
            || (!release.Contains("microsoft", StringComparison.OrdinalIgnoreCase) && !release.Contains("WSL", StringComparison.OrdinalIgnoreCase)))
        {
            return WslKind.None;
        }

        return release.Contains("WSL2", StringComparison.OrdinalIgnoreCase) || release.Contains("microsoft-standard", StringComparison.OrdinalIgnoreCase)
            ? WslKind.Wsl2
            : WslKind.Wsl1;
    }

    /// <summary>The value of <c>container=</c> in init's NUL-separated environment (set by podman, systemd-nspawn, lxc).</summary>
    internal static string? ContainerFromInitEnvironment(string? environ)
    {
        if (environ is null)
        {
            return null;
        }

        foreach (var entry in environ.Split('\0'))
        {
            if (entry.StartsWith("container=", StringComparison.Ordinal) && entry.Length > "container=".Length)
            {
                return entry["container=".Length..];
            }
        }

        return null;
    }

    internal static ContainerKind KindFromContainerVariable(string value) => value switch
    {
        "docker" => ContainerKind.Docker,
        "podman" => ContainerKind.Podman,
        "lxc" or "lxc-libvirt" or "incus" => ContainerKind.Lxc,
        "systemd-nspawn" => ContainerKind.Systemd,
        _ => ContainerKind.Other,
    };

    internal static IEnumerable<(ContainerKind Kind, string Text)> CgroupEvidence(string? cgroup)
    {
        if (cgroup is null)
        {
            yield break;
        }

        foreach (var line in cgroup.Split('\n'))
        {
            // hierarchy-ID:controllers:path; only the path tells where init was placed.
            var path = line[(line.LastIndexOf(':') + 1)..];
            ContainerKind? kind = path.Contains("kubepods", StringComparison.Ordinal) ? ContainerKind.Kubernetes
                : path.Contains("libpod", StringComparison.Ordinal) ? ContainerKind.Podman
                : path.Contains("docker", StringComparison.Ordinal) ? ContainerKind.Docker
                : path.Contains("lxc", StringComparison.Ordinal) ? ContainerKind.Lxc
                : null;
            if (kind is not null)
            {
                yield return (kind.Value, $"cgroup {path} in /proc/1/cgroup");
                yield break;
            }
        }
    }

    internal static List<string> GvisorEvidence(KernelFacts kernel, string? cmdline)
    {
        var found = new List<string>();
        if (string.Equals(kernel.Version, GvisorKernelVersion, StringComparison.Ordinal))
        {
            found.Add("gVisor kernel version string in /proc/sys/kernel/version");
        }

        if (kernel.Release?.Contains("gvisor", StringComparison.OrdinalIgnoreCase) == true)
        {
            found.Add("gvisor in the kernel release");
        }

        if (cmdline?.Contains("gvisor", StringComparison.OrdinalIgnoreCase) == true)
        {
            found.Add("gvisor in /proc/cmdline");
        }

        return found;
    }

    /// <summary>A chroot shows as "/" differing from init's root; reading init's root needs privilege, else unknown.</summary>
    private static bool? DetectChroot()
    {
        var self = UnixFile.Stat("/");
        var init = UnixFile.Stat("/proc/1/root");
        if (self is null || init is null)
        {
            return null;
        }

        return self.Device != init.Device || self.Inode != init.Inode;
    }
}
