using UsernsTools.Facts;
using Xunit;

namespace UsernsTools.Tests.Facts;

public sealed class KernelReaderTests
{
    [Fact]
    public void ReadsReleaseVersionAndOsReleaseWithQuotes()
    {
        using var root = new TestRoot()
            .WithFile("/proc/sys/kernel/osrelease", "6.8.0-31-generic\n")
            .WithFile("/proc/sys/kernel/version", "#31-Ubuntu SMP PREEMPT_DYNAMIC Sat Apr 20 00:40:06 UTC 2024\n")
            .WithFile("/etc/os-release", """
                PRETTY_NAME="Ubuntu 24.04 LTS"
                # comment
                ID=ubuntu
                ID_LIKE='debian'
                VERSION_ID="24.04"
                NAME="Say \"hi\" \$HOME"
                """);
        var kernel = KernelReader.Read(root.Path);
        Assert.Equal("6.8.0-31-generic", kernel.Release);
        Assert.StartsWith("#31-Ubuntu SMP", kernel.Version, StringComparison.Ordinal);
        Assert.Equal(("ubuntu", "24.04", "debian", "Ubuntu 24.04 LTS"), (kernel.OsId, kernel.OsVersionId, kernel.OsIdLike, kernel.OsPrettyName));
        Assert.Equal("Say \"hi\" $HOME", OsRelease.Parse(File.ReadAllText(root.Full("/etc/os-release")))["NAME"]);
    }

    [Fact]
    public void FallsBackToUsrLibOsRelease()
    {
        using var root = new TestRoot().WithFile("/usr/lib/os-release", "ID=fedora\nVERSION_ID=40\n");
        var kernel = KernelReader.Read(root.Path);
        Assert.Equal(("fedora", "40"), (kernel.OsId, kernel.OsVersionId));
        Assert.Null(kernel.Release);
    }

    [Fact]
    public void HostnamePrefersTheKernelThenEtcHostname()
    {
        using var root = new TestRoot().WithFile("/etc/hostname", "# set by installer\nimage-host\n");
        Assert.Equal("image-host", KernelReader.ReadHostname(root.Path));
        root.WithFile("/proc/sys/kernel/hostname", "uts-host\n");
        Assert.Equal("uts-host", KernelReader.ReadHostname(root.Path));
    }
}
