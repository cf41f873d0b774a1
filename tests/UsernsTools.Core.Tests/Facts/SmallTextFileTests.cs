using System.Text;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Facts;

/// <summary>The facts' file reader gives what File.ReadAllText gives, and fails where it fails.</summary>
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

        Assert.Equal(File.ReadAllText(path), SmallTextFile.Read(path));
    }

    [Theory]
    [InlineData("/proc/self/cmdline")]
    [InlineData("/proc/self/mountinfo")]
    [InlineData("/proc/sys/kernel/osrelease")]
    public void ReadsProcFilesWhole(string path) => Assert.Equal(File.ReadAllText(path), SmallTextFile.Read(path));

    [Fact]
    public void FailsWhereReadAllTextFails()
    {
        Assert.Throws<FileNotFoundException>(() => SmallTextFile.Read(Path.Combine(_dir.FullName, "missing")));
        Assert.Throws<UnauthorizedAccessException>(() => SmallTextFile.Read(_dir.FullName));
        Assert.Null(RootedPath.ReadText(_dir.FullName, "/missing"));
    }
}
