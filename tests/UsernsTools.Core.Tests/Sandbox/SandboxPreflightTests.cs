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

    /// <summary>Kernel settings as /proc/sys shows them to the caller, in a folder of plain files.</summary>
    private string ProcSys(string? maxUserNamespaces, string? unprivilegedClone = null)
    {
        var root = Path.Combine(_dir.FullName, "proc-sys-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(Path.Combine(root, "user"));
        Directory.CreateDirectory(Path.Combine(root, "kernel"));
        if (maxUserNamespaces is not null)
        {
            File.WriteAllText(Path.Combine(root, "user/max_user_namespaces"), maxUserNamespaces + "\n");
        }

        if (unprivilegedClone is not null)
        {
            File.WriteAllText(Path.Combine(root, "kernel/unprivileged_userns_clone"), unprivilegedClone + "\n");
        }

        return root;
    }

    [Fact]
    public async Task ARunAskingForNoNamespaceWhereUserNamespacesAreOffSaysThePidNamespaceNeedsOne()
    {
        // Unprivileged, the pid namespace that holds the tree comes inside a user namespace.
        var spec = new NamespaceSpec { FilePath = "id", WorkingDirectory = "/" };
        var tools = s_tools with { FlockPath = "/usr/bin/flock" };
        var command = await new NamespacedProcessRunner(tools).BuildArgvAsync(spec, CancellationToken.None);
        Assert.Equal(NamespaceKind.User | NamespaceKind.Pid, command.Namespaces);

        var ex = Assert.Throws<UsernsException>(() => SandboxPreflight.CheckUserNamespace(spec, command, tools, ProcSys("0")));

        Assert.Equal(SandboxErrorIds.UserNamespacesTurnedOff, ex.ErrorId);
        Assert.Equal(UsernsErrorCategory.ResourceUnavailable, ex.Category);
        Assert.Equal("user.max_user_namespaces = 0", ex.TargetValue);
        Assert.StartsWith("User namespaces are turned off here (user.max_user_namespaces = 0), and this run needs one for the pid namespace", ex.Message, StringComparison.Ordinal);
        Assert.Contains("run --no-pid-ns or Invoke-NamespacedProcess -SharePidNamespace", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMappingWhereUnprivilegedUserNamespacesAreOffIsRefusedForAUserAndLeftToRoot()
    {
        var spec = new NamespaceSpec { FilePath = "id", WorkingDirectory = "/", Mapping = IdentityMapping.RootUser };
        var procSys = ProcSys("15000", "0");
        var command = await BuildAsync(spec);

        var ex = Assert.Throws<UsernsException>(() => SandboxPreflight.CheckUserNamespace(spec, command, s_tools, procSys));
        Assert.Equal("User namespaces are turned off here (kernel.unprivileged_userns_clone = 0), and this run needs one. 'usernstools status' (Get-UsernsStatus) tells what else stands in the way and how to lift it.", ex.Message);

        // The switch is about unprivileged users: root still creates user namespaces.
        var root = s_tools with { Uid = 0 };
        SandboxPreflight.CheckUserNamespace(spec, await new NamespacedProcessRunner(root).BuildArgvAsync(spec, CancellationToken.None), root, procSys);
    }

    [Theory]
    [InlineData("15000", null)]
    [InlineData("15000", "1")]
    [InlineData(null, null)]
    public async Task UserNamespacesTheSettingsAllowAreLeftToTheBackend(string? max, string? clone)
    {
        var spec = new NamespaceSpec { FilePath = "id", WorkingDirectory = "/", Mapping = IdentityMapping.RootUser };

        SandboxPreflight.CheckUserNamespace(spec, await BuildAsync(spec), s_tools, ProcSys(max, clone));
    }

    [Fact]
    public async Task ARunWithoutAUserNamespaceIsNotStoppedByTheSetting()
    {
        var spec = new NamespaceSpec { FilePath = "id", WorkingDirectory = "/", SharePidNamespace = true };
        var command = await BuildAsync(spec);
        Assert.Equal(NamespaceKind.None, command.Namespaces);

        SandboxPreflight.CheckUserNamespace(spec, command, s_tools, ProcSys("0", "0"));
    }

    [Theory]
    [InlineData(null, null, "neither has one")]
    [InlineData("alice:100000:65536\n", null, "/etc/subgid has none")]
    [InlineData("bob:100000:65536\n", "1000:100000:65536\n", "/etc/subuid has none")]
    [InlineData("alice:100000:65536\n", "1000:100000:65536\n", null)]
    public void TheAutomaticMappingNeedsARangeInBothFiles(string? subuid, string? subgid, string? problem)
    {
        // unshare --map-auto said "no line matching user "alice" in /etc/subuid: Success" and exited 1, as a program may.
        var etc = Directory.CreateDirectory(Path.Combine(_dir.FullName, "etc")).FullName;
        if (subuid is not null)
        {
            File.WriteAllText(Path.Combine(etc, "subuid"), subuid);
        }

        if (subgid is not null)
        {
            File.WriteAllText(Path.Combine(etc, "subgid"), subgid);
        }

        var tools = s_tools with { RunAs = new UsernsTools.Facts.UsernsSubject { User = "alice", Uid = 1000, Gid = 1000, HasPasswdEntry = true } };
        var spec = new NamespaceSpec { FilePath = "id", WorkingDirectory = "/", Mapping = IdentityMapping.Auto };
        if (problem is null)
        {
            SandboxPreflight.CheckSubordinateIds(spec, tools, _dir.FullName);
            return;
        }

        var ex = Assert.Throws<UsernsException>(() => SandboxPreflight.CheckSubordinateIds(spec, tools, _dir.FullName));
        Assert.Equal(SandboxErrorIds.SubordinateIdsMissing, ex.ErrorId);
        Assert.Equal(UsernsErrorCategory.ResourceUnavailable, ex.Category);
        Assert.Equal("alice", ex.TargetValue);
        Assert.Contains($"needs a range for alice in both /etc/subuid and /etc/subgid, and {problem}.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("usermod --add-subuids FIRST-LAST --add-subgids FIRST-LAST alice", ex.Message, StringComparison.Ordinal);

        // Only the automatic mapping reads these files.
        SandboxPreflight.CheckSubordinateIds(new NamespaceSpec { FilePath = "id", WorkingDirectory = "/", Mapping = IdentityMapping.RootUser }, tools, _dir.FullName);
    }

    [Fact]
    public async Task AProgramNoOneMayExecuteIsProgramNotExecutable()
    {
        var file = Path.Combine(_dir.FullName, "usernstools-data");
        File.WriteAllText(file, "#!/bin/sh\n");
        File.SetUnixFileMode(file, (UnixFileMode)0x1A4);

        var ex = await RefusedAsync(new NamespaceSpec { FilePath = file, WorkingDirectory = "/" });

        Assert.Equal(SandboxErrorIds.ProgramNotExecutable, ex.ErrorId);
        Assert.Equal(UsernsErrorCategory.PermissionDenied, ex.Category);
        Assert.Equal($"The program '{file}' cannot be executed: {file} has no execute permission (mode 0644).", ex.Message);

        // Found on PATH: a file that may not be executed is passed over for one that may, as execvp does.
        var bin = Directory.CreateDirectory(Path.Combine(_dir.FullName, "bin")).FullName;
        File.Copy(file, Path.Combine(bin, "usernstools-data"));
        var byName = new NamespaceSpec { FilePath = "usernstools-data", WorkingDirectory = "/" };
        byName.Environment["PATH"] = _dir.FullName + ":" + bin;
        Assert.Equal(SandboxErrorIds.ProgramNotExecutable, (await RefusedAsync(byName)).ErrorId);
        File.SetUnixFileMode(Path.Combine(bin, "usernstools-data"), (UnixFileMode)0x1C0);
        await BuildAsync(byName);
    }

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
        var file = await RefusedAsync(new NamespaceSpec { FilePath = "true", WorkingDirectory = missing });
        Assert.Equal(SandboxErrorIds.WorkingDirectoryNotFound, file.ErrorId);
        Assert.Equal($"The working directory '{missing}' is a file in the sandbox, not a directory.", file.Message);
    }

    [Fact]
    public async Task ADirectoryGivenAsTheProgramIsProgramNotExecutable()
    {
        var ex = await RefusedAsync(new NamespaceSpec { FilePath = _dir.FullName, WorkingDirectory = "/" });
        Assert.Equal(SandboxErrorIds.ProgramNotExecutable, ex.ErrorId);
        Assert.Equal($"The program '{_dir.FullName}' cannot be executed: it is a directory.", ex.Message);

        // Relative to the working directory, as execve reads it.
        Assert.Equal(SandboxErrorIds.ProgramNotExecutable, (await RefusedAsync(new NamespaceSpec { FilePath = "./", WorkingDirectory = _dir.FullName })).ErrorId);
    }

    [Fact]
    public async Task ABindTargetTheSandboxWouldCreateOnTheHostIsRefused()
    {
        // bwrap made the missing mount point through the writable bind of / with mkdir, and it stayed on the host.
        var source = Directory.CreateDirectory(Path.Combine(_dir.FullName, "source")).FullName;
        var missing = _dir.FullName + "/mountpoint";
        var writable = new NamespaceSpec { FilePath = "true", WorkingDirectory = "/", Backend = BackendKind.Bwrap };
        writable.BindMounts.Add(new BindMount(source, missing));

        var ex = await RefusedAsync(writable);
        Assert.Equal(SandboxErrorIds.BindMountTargetOnHost, ex.ErrorId);
        Assert.Equal(UsernsErrorCategory.InvalidArgument, ex.Category);
        Assert.Equal(missing, ex.TargetValue);
        Assert.StartsWith($"The bind mount target '{missing}' does not exist, and the sandbox would create it on the host (in {_dir.FullName})", ex.Message, StringComparison.Ordinal);

        // Under a read-only root the mount point is made in a tmpfs: nothing reaches the host.
        writable.ReadOnlyRoot = true;
        await BuildAsync(writable);

        // Unless it is inside an earlier bind mount: that is the host directory the mount came from.
        var inside = new NamespaceSpec { FilePath = "true", WorkingDirectory = "/", ReadOnlyRoot = true, Backend = BackendKind.Bwrap };
        inside.BindMounts.Add(new BindMount(source, "/usernstools-outer"));
        inside.BindMounts.Add(new BindMount(source, "/usernstools-outer/inner"));
        var nested = await RefusedAsync(inside);
        Assert.Equal(SandboxErrorIds.BindMountTargetOnHost, nested.ErrorId);
        Assert.Contains($"(in {source})", nested.Message, StringComparison.Ordinal);

        // A target that exists is mounted over, as before.
        var existing = new NamespaceSpec { FilePath = "true", WorkingDirectory = "/", Backend = BackendKind.Bwrap };
        existing.BindMounts.Add(new BindMount(source, source));
        await BuildAsync(existing);
        Assert.False(Directory.Exists(missing));
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
