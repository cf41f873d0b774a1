using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Facts;

/// <summary>What a shell would run for a name: the first executable regular file on PATH, below the diagnosed root.</summary>
public sealed class PathLookupTests : IDisposable
{
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void ADirectoryOrAFileWithoutAnExecuteBitIsPassedOver()
    {
        _root.WithFolder("/a/bwrap").WithFile("/b/bwrap", "not executable").WithExecutable("/c/bwrap");

        Assert.Equal("/c/bwrap", PathLookup.Find("bwrap", "/a:/b:/c", _root.Path));
    }

    [Fact]
    public void ALinkToAnExecutableIsFoundUnderItsOwnName()
    {
        _root.WithExecutable("/usr/libexec/bwrap-real").WithLink("/usr/bin/bwrap", "../libexec/bwrap-real").WithLink("/usr/bin/unshare", "../libexec/missing");

        Assert.Equal("/usr/bin/bwrap", PathLookup.Find("bwrap", "/usr/bin", _root.Path));
        Assert.Null(PathLookup.Find("unshare", "/usr/bin", _root.Path));
    }

    [Fact]
    public void RelativeAndEmptyEntriesAreSkippedAndAPathIsCheckedAsGiven()
    {
        _root.WithExecutable("/opt/tools/setpriv").WithFile("/opt/tools/plain", "x");

        Assert.Null(PathLookup.Find("setpriv", "opt/tools::", _root.Path));
        Assert.Equal("/opt/tools/setpriv", PathLookup.Find("setpriv", ":/nowhere:/opt/tools/", _root.Path));
        Assert.Equal("/opt/tools/setpriv", PathLookup.Find("/opt/tools/setpriv", null, _root.Path));
        Assert.Null(PathLookup.Find("/opt/tools/plain", null, _root.Path));
    }
}
