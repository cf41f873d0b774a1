using System.Text;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Facts;

/// <summary>The facts' file reader gives what File.ReadAllText gives, and a null where it fails.</summary>
public sealed class SmallTextFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("usernstools-text-");

    public void Dispose() => _dir.Delete(recursive: true);

    public static TheoryData<byte[]> Contents => new()
    {
        Array.Empty<byte>(),
        Encoding.UTF8.GetBytes("65536\n"),
        Encoding.UTF8.GetBytes("\uFEFFwith a byte order mark\n"),
        new byte[] { (byte)'a', 0xC3, (byte)'b', 0xFF, 0xE2, 0x82 },
        Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("utf-16 text")).ToArray(),
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("0 0 4294967295 é\n", 5000))),
    };

    [Theory]
    [MemberData(nameof(Contents))]
    public void ReadsAsReadAllTextDoes(byte[] content)
    {
        var path = Path.Combine(_dir.FullName, "file");
        File.WriteAllBytes(path, content);

        Assert.Equal(File.ReadAllText(path), SmallTextFile.TryRead(path));
    }

    [Theory]
    [InlineData("/proc/self/cmdline")]
    [InlineData("/proc/self/mountinfo")]
    [InlineData("/proc/sys/kernel/osrelease")]
    public void ReadsProcFilesWhole(string path) => Assert.Equal(File.ReadAllText(path), SmallTextFile.TryRead(path));

    [Fact]
    public void IsNullWhereReadAllTextFails()
    {
        var missing = Path.Combine(_dir.FullName, "missing");
        Assert.Throws<FileNotFoundException>(() => File.ReadAllText(missing));
        Assert.Null(SmallTextFile.TryRead(missing));
        Assert.Throws<UnauthorizedAccessException>(() => File.ReadAllText(_dir.FullName));
        Assert.Null(SmallTextFile.TryRead(_dir.FullName));
        Assert.Null(RootedPath.ReadText(_dir.FullName, "/missing"));
    }

    [Fact]
    public void LeavesNoDescriptorOpen()
    {
        var path = Path.Combine(_dir.FullName, "read-often");
        File.WriteAllText(path, "1\n");
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal("1\n", SmallTextFile.TryRead(path));
            Assert.Null(SmallTextFile.TryRead(_dir.FullName));
        }

        var open = Directory.GetFiles("/proc/self/fd").Select(fd => new FileInfo(fd).LinkTarget).ToList();
        Assert.DoesNotContain(path, open);
        Assert.DoesNotContain(_dir.FullName, open);
    }
}
