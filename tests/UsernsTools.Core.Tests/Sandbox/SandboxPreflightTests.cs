using UsernsTools.Platform;
using UsernsTools.Sandbox;
using Xunit;

namespace UsernsTools.Tests.Sandbox;

/// <summary>What would fail inside the backend with its own message is refused on the host, before anything starts.</summary>
public sealed class SandboxPreflightTests : IDisposable
{
    private static readonly SandboxToolFacts s_tools = new()
    {
        UnsharePath = "/usr/bin/unshare",
        UnshareVersion = new Version(2, 38, 1),
        BwrapPath = "/usr/bin/bwrap",
        BwrapVersion = new Version(0, 8, 0),
        SetprivPath = "/usr/bin/setpriv",
        HostnamePath = "/usr/bin/hostname",
        Uid = 1000,
    };

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("usernstools-preflight-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static Task<SandboxCommand> BuildAsync(NamespaceSpec spec) =>
        new NamespacedProcessRunner(s_tools).BuildArgvAsync(spec, CancellationToken.None);

    private static async Task<UsernsException> RefusedAsync(NamespaceSpec spec) =>
        await Assert.ThrowsAsync<UsernsException>(() => BuildAsync(spec));

    [Theory]
    [InlineData("usernstools-no-such-program")]
    [InlineData("/usr/bin/usernstools-no-such-program")]
    [InlineData("./usernstools-no-such-program")]
    public async Task AMissingProgramIsProgramNotFound(string program)
    {
        var ex = await RefusedAsync(new NamespaceSpec { FilePath = program, WorkingDirectory = "/" });
        Assert.Equal(SandboxErrorIds.ProgramNotFound, ex.ErrorId);
        Assert.Equal(UsernsErrorCategory.ObjectNotFound, ex.Category);
        Assert.Equal(program, ex.TargetValue);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task TheProgramIsLookedUpOnThePathTheSandboxGets()
    {
        var tool = Path.Combine(_dir.FullName, "usernstools-tool");
        File.WriteAllText(tool, "#!/bin/sh\n");
        File.SetUnixFileMode(tool, (UnixFileMode)0x1ED);
        var spec = new NamespaceSpec { FilePath = "usernstools-tool" };
        spec.Environment["PATH"] = _dir.FullName;
        await BuildAsync(spec);

        // A cleared environment has no PATH: execvp's default path does not hold the tool.
        spec.Environment.Remove("PATH");
        spec.ClearEnvironment = true;
        Assert.Equal(SandboxErrorIds.ProgramNotFound, (await RefusedAsync(spec)).ErrorId);
    }

    [Fact]
    public async Task AProgramOrDirectoryThatOnlyABindMountBringsInIsFound()
    {
        var tool = Path.Combine(_dir.FullName, "tool");
        File.WriteAllText(tool, "#!/bin/sh\n");
        File.SetUnixFileMode(tool, (UnixFileMode)0x1ED);
        var inside = "/usernstools-tools-" + Guid.NewGuid().ToString("N");
        var spec = new NamespaceSpec { FilePath = inside + "/tool", WorkingDirectory = inside, ReadOnlyRoot = true, Backend = BackendKind.Bwrap };
        spec.BindMounts.Add(new BindMount(_dir.FullName, inside));
        await BuildAsync(spec);

        spec.FilePath = "./tool";
        await BuildAsync(spec);
    }

    [Fact]
    public async Task AMissingWorkingDirectoryIsWorkingDirectoryNotFound()
    {
        var missing = _dir.FullName + "/missing";
        var ex = await RefusedAsync(new NamespaceSpec { FilePath = "true", WorkingDirectory = missing });
        Assert.Equal(SandboxErrorIds.WorkingDirectoryNotFound, ex.ErrorId);
        Assert.Equal(UsernsErrorCategory.ObjectNotFound, ex.Category);
        Assert.Equal(missing, ex.TargetValue);

        File.WriteAllText(missing, "a file, not a directory");
        Assert.Equal(SandboxErrorIds.WorkingDirectoryNotFound, (await RefusedAsync(new NamespaceSpec { FilePath = "true", WorkingDirectory = missing })).ErrorId);
    }

    [Fact]
    public async Task AMissingBindSourceIsBindMountSourceNotFound()
    {
        var missing = _dir.FullName + "/missing";
        var spec = new NamespaceSpec { FilePath = "true", Backend = BackendKind.Bwrap };
        spec.BindMounts.Add(new BindMount(missing, "/mnt"));
        var ex = await RefusedAsync(spec);
        Assert.Equal(SandboxErrorIds.BindMountSourceNotFound, ex.ErrorId);
        Assert.Equal(UsernsErrorCategory.ObjectNotFound, ex.Category);
        Assert.Equal(missing, ex.TargetValue);
    }
}
