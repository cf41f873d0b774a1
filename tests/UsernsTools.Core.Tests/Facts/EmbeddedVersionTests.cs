using System.Text;
using UsernsTools.Facts;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Facts;

public class EmbeddedVersionTests
{
    [Theory]
    [InlineData("\u0001\u0002util-linux 2.38.1\0more", "util-linux ", "2.38.1")]
    [InlineData("bubblewrap %s\0bubblewrap 0.11.1\0", "bubblewrap ", "0.11.1")]
    [InlineData("util-linux\0util-linux 2.40\0", "util-linux ", "2.40")]
    [InlineData("util-linux 2.38.1-rc1\0", "util-linux ", null)]
    [InlineData("util-linux 2\0", "util-linux ", null)]
    [InlineData("util-linux 2.38.1", "util-linux ", null)]
    [InlineData("nothing here\0", "util-linux ", null)]
    [InlineData("", "bubblewrap ", null)]
    public void FindsOnlyANulTerminatedDottedNumberAfterTheMarker(string content, string marker, string? expected) =>
        Assert.Equal(expected, EmbeddedVersion.Find(Encoding.ASCII.GetBytes(content), marker));

    [Theory]
    [InlineData("\u0001\u0002util-linux 2.38.1\0more", "util-linux ")]
    [InlineData("bubblewrap %s\0bubblewrap 0.11.1\0", "bubblewrap ")]
    [InlineData("util-linux\0util-linux 2.40\0", "util-linux ")]
    [InlineData("util-linux 2.38.1-rc1\0util-linux 2.39.3\0", "util-linux ")]
    [InlineData("util-linux 2\0xxutil-linux 12345678901234567890.1\0", "util-linux ")]
    [InlineData("util-linux util-linux 2.38.1\0", "util-linux ")]
    [InlineData("util-linux 2.38.1", "util-linux ")]
    [InlineData("util-linuxutil-linux 1.2\0", "util-linux ")]
    [InlineData("nothing here\0", "util-linux ")]
    [InlineData("", "bubblewrap ")]
    public void ReadingAFileInChunksFindsWhatTheWholeFileHolds(string content, string marker)
    {
        // Every chunk size from one byte up puts each chunk boundary inside the marker, the digits and the NUL in turn.
        var bytes = Encoding.ASCII.GetBytes(content);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, bytes);
            using var handle = File.OpenHandle(path);
            for (var chunk = 1; chunk <= bytes.Length + 1; chunk++)
            {
                Assert.Equal(EmbeddedVersion.Find(bytes, marker), EmbeddedVersion.Find(handle, marker, chunk));
            }

            Assert.Equal(EmbeddedVersion.Find(bytes, marker), EmbeddedVersion.Find(path, marker));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void NothingToReadIsNoVersionAndNoDescriptorIsLeftOpen()
    {
        var dir = Directory.CreateTempSubdirectory("usernstools-version-");
        try
        {
            Assert.Null(EmbeddedVersion.Find(Path.Combine(dir.FullName, "missing"), "util-linux "));
            Assert.Null(EmbeddedVersion.Find(dir.FullName, "util-linux "));
            Assert.DoesNotContain(dir.FullName, Directory.GetFiles("/proc/self/fd").Select(fd => new FileInfo(fd).LinkTarget));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [KernelFact("unshare", "setpriv", "bwrap")]
    public async Task AgreesWithWhatTheInstalledToolsPrint()
    {
        foreach (var name in new[] { "unshare", "setpriv", "bwrap" })
        {
            var path = KernelPrerequisites.Tool(name);
            var printed = await ProcessRunner.Instance.RunAsync(
                new ProcessRequest(new[] { path, "--version" }) { Environment = ProcessRunner.CLocale }, CancellationToken.None);
            Assert.Equal(ToolVersion.Parse(printed.StandardOutput), EmbeddedVersion.Find(path, EmbeddedVersion.MarkerFor(name)!));
        }
    }
}
