using UsernsTools.Facts;
using UsernsTools.Diagnosis;
using Xunit;

namespace UsernsTools.Tests.Facts;

/// <summary>The mounts over parts of /proc are read from mountinfo as a fact, so a recorded report can explain a refused procfs.</summary>
public sealed class ProcOvermountReaderTests : IDisposable
{
    // /proc/self/mountinfo of a default Docker container (docker run ubuntu:24.04), trimmed to /proc and its neighbours.
    private const string DockerMountInfo =
        "624 543 0:57 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
        + "625 543 0:58 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755,inode64\n"
        + "626 624 0:57 /bus /proc/bus ro,nosuid,nodev,noexec,relatime - proc proc rw\n"
        + "629 624 0:57 /sys /proc/sys ro,nosuid,nodev,noexec,relatime - proc proc rw\n"
        + "632 624 0:64 / /proc/acpi ro,relatime - tmpfs tmpfs ro,inode64\n"
        + "634 624 0:58 /null /proc/keys rw,nosuid master:7 - tmpfs tmpfs rw,size=65536k,mode=755,inode64\n"
        + "640 543 0:70 / /srv/with\\040space rw,relatime - tmpfs my\\040tmp rw\n"
        + "641 624 0:71 / /proc/sys/fs/binfmt_misc rw,relatime - binfmt_misc binfmt_misc rw\n";

    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void OnlyMountsBelowProcAreRecordedWithWhatCoversThem()
    {
        var mounts = MountInfoReader.ProcOvermounts(DockerMountInfo)!;

        Assert.Equal(new[] { "/proc/bus", "/proc/sys", "/proc/acpi", "/proc/keys", "/proc/sys/fs/binfmt_misc" }, mounts.Select(m => m.MountPoint));
        var keys = mounts.Single(m => m.MountPoint == "/proc/keys");
        Assert.Equal("tmpfs", keys.FileSystemType);
        Assert.Equal("/null", keys.Root);
        Assert.False(keys.ReadOnly);
        var bus = mounts.Single(m => m.MountPoint == "/proc/bus");
        Assert.Equal(("proc", "/bus", true), (bus.FileSystemType, bus.Root, bus.ReadOnly));
    }

    [Fact]
    public void OctalEscapesInPathsAreDecoded()
    {
        Assert.Equal("/srv/with space", MountInfoReader.Unescape("/srv/with\\040space"));
        Assert.Equal("/a\\b\tc", MountInfoReader.Unescape("/a\\134b\\011c"));
        Assert.Equal("/keep\\9x", MountInfoReader.Unescape("/keep\\9x"));
    }

    [Fact]
    public void AnEmptyMountPointOfTheKernelHidesNothingAndDoesNotCount()
    {
        var environment = new EnvironmentFacts { ProcOvermounts = MountInfoReader.ProcOvermounts(DockerMountInfo) };

        Assert.DoesNotContain("/proc/sys/fs/binfmt_misc", ProcMasking.Covering(environment)!.Select(m => m.MountPoint));
        Assert.Empty(ProcMasking.Covering(new EnvironmentFacts { ProcOvermounts = MountInfoReader.ProcOvermounts(DockerMountInfo.Split('\n')[^2] + "\n") })!);
    }

    [Fact]
    public void TheEnvironmentReaderTakesThemFromTheRootsMountInfo()
    {
        Assert.Null(EnvironmentReader.Read(_root.Path, new KernelFacts(), new Dictionary<string, string?>()).ProcOvermounts);

        _root.WithFile("/proc/self/mountinfo", DockerMountInfo);
        var facts = EnvironmentReader.Read(_root.Path, new KernelFacts(), new Dictionary<string, string?>());
        Assert.Equal(5, facts.ProcOvermounts!.Count);

        _root.WithFile("/proc/self/mountinfo", DockerMountInfo.Split('\n')[0] + "\n");
        Assert.Empty(EnvironmentReader.Read(_root.Path, new KernelFacts(), new Dictionary<string, string?>()).ProcOvermounts!);
    }
}
