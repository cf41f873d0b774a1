using UsernsTools.Facts;
using Xunit;

namespace UsernsTools.Tests.Facts;

public sealed class EnvironmentReaderTests : IDisposable
{
    private static readonly Dictionary<string, string?> s_noEnv = new();

    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void BareRootIsNoContainerAndChrootUnknown()
    {
        var facts = EnvironmentReader.Read(_root.Path, new KernelFacts(), s_noEnv);
        Assert.Equal(ContainerKind.None, facts.Container);
        Assert.Empty(facts.ContainerEvidence);
        Assert.Equal(WslKind.None, facts.Wsl);
        Assert.False(facts.Gvisor);
        Assert.Null(facts.InChroot);
    }

    [Fact]
    public void DockerenvMarksDocker()
    {
        _root.WithFile("/.dockerenv", "");
        var facts = EnvironmentReader.Read(_root.Path, new KernelFacts(), s_noEnv);
        Assert.Equal(ContainerKind.Docker, facts.Container);
        Assert.Equal(new[] { "/.dockerenv" }, facts.ContainerEvidence);
    }

    [Fact]
    public void PodmanIsRecognisedFromContainerenvAndInitsEnvironment()
    {
        _root.WithFile("/run/.containerenv", "engine=\"podman-4.9.3\"\n")
             .WithFile("/proc/1/environ", "PATH=/usr/bin\0container=podman\0HOME=/\0");
        var facts = EnvironmentReader.Read(_root.Path, new KernelFacts(), s_noEnv);
        Assert.Equal(ContainerKind.Podman, facts.Container);
        Assert.Contains("container=podman in /proc/1/environ", facts.ContainerEvidence);
        Assert.Contains("/run/.containerenv", facts.ContainerEvidence);
    }

    [Theory]
    [InlineData("container=lxc", ContainerKind.Lxc)]
    [InlineData("container=systemd-nspawn", ContainerKind.Systemd)]
    [InlineData("container=oci", ContainerKind.Other)]
    public void InitsContainerVariableNamesTheKind(string entry, ContainerKind kind)
    {
        _root.WithFile("/proc/1/environ", "TERM=xterm\0" + entry + "\0");
        Assert.Equal(kind, EnvironmentReader.Read(_root.Path, new KernelFacts(), s_noEnv).Container);
    }

    [Fact]
    public void KubernetesWinsOverTheDockerItRunsOn()
    {
        _root.WithFile("/.dockerenv", "")
             .WithFile("/proc/1/cgroup", "12:pids:/kubepods/besteffort/pod1234/abcd\n0::/\n");
        var env = new Dictionary<string, string?> { ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1" };
        var facts = EnvironmentReader.Read(_root.Path, new KernelFacts(), env);
        Assert.Equal(ContainerKind.Kubernetes, facts.Container);
        Assert.Contains("KUBERNETES_SERVICE_HOST in the environment", facts.ContainerEvidence);
        Assert.Contains(facts.ContainerEvidence, e => e.Contains("kubepods", StringComparison.Ordinal));
    }

    [Fact]
    public void DockerCgroupPathIsEvidence()
    {
        _root.WithFile("/proc/1/cgroup", "0::/system.slice/docker-0123abcd.scope\n");
        Assert.Equal(ContainerKind.Docker, EnvironmentReader.Read(_root.Path, new KernelFacts(), s_noEnv).Container);
    }

    [Fact]
    public void HostCgroupIsNoEvidence()
    {
        _root.WithFile("/proc/1/cgroup", "0::/init.scope\n");
        Assert.Equal(ContainerKind.None, EnvironmentReader.Read(_root.Path, new KernelFacts(), s_noEnv).Container);
    }

    [Theory]
    [InlineData("4.4.0-19041-Microsoft", WslKind.Wsl1)]
    [InlineData("5.15.90.1-microsoft-standard-WSL2", WslKind.Wsl2)]
    [InlineData("4.19.128-microsoft-standard", WslKind.Wsl2)]
    [InlineData("6.6.36.3-WSL2-custom", WslKind.Wsl2)]
    [InlineData("6.8.0-31-generic", WslKind.None)]
    [InlineData(null, WslKind.None)]
    public void WslGenerationComesFromTheRelease(string? release, WslKind expected) =>
        Assert.Equal(expected, EnvironmentReader.DetectWsl(release));

    [Fact]
    public void GvisorIsRecognisedFromItsFixedVersionAndCmdline()
    {
        _root.WithFile("/proc/cmdline", "BOOT_IMAGE=/vmlinuz-4.4.0-gvisor quiet\n");
        var kernel = new KernelFacts { Release = "4.4.0", Version = "#1 SMP Sun Jan 10 15:06:54 PST 2016" };
        var facts = EnvironmentReader.Read(_root.Path, kernel, s_noEnv);
        Assert.True(facts.Gvisor);
        Assert.Equal(ContainerKind.Other, facts.Container);
        Assert.Equal(2, facts.ContainerEvidence.Count);
    }

    [KernelFact]
    public void LiveRootAgreesWithTheMarkersOnThisMachine()
    {
        var facts = EnvironmentReader.Read("/", new KernelFacts(), new Dictionary<string, string?>());
        Assert.Equal(File.Exists("/.dockerenv"), facts.ContainerEvidence.Contains("/.dockerenv"));

        // init's root is readable only with CAP_SYS_PTRACE over init; where it is, a normal run is not in a chroot.
        var readable = TryReadLink("/proc/1/root");
        Assert.Equal(readable is null ? null : readable != "/", facts.InChroot);
    }

    private static string? TryReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
