using System.Text.Json;
using UsernsTools.Sandbox;
using UsernsTools.Serialization;
using Xunit;

namespace UsernsTools.Tests.Sandbox;

/// <summary>Environment, directory, file-system and network options, seen from inside the sandbox.</summary>
public class SandboxOptionsTests
{
    public static TheoryData<long, BackendKind> UsersAndBackends => SandboxTestHost.UsersAndBackends();

    public static TheoryData<long> Users()
    {
        var data = new TheoryData<long>();
        foreach (var uid in SandboxTestHost.Users())
        {
            data.Add(uid);
        }

        return data;
    }

    [KernelTheory("unshare", "bwrap", "setpriv", "env")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task ClearedEnvironmentHoldsOnlyWhatWasSet(long uid, BackendKind backend)
    {
        var spec = SandboxTestHost.Spec(backend, "env");
        spec.Mapping = IdentityMapping.RootUser;
        spec.ClearEnvironment = true;
        spec.Environment["A"] = "1";
        spec.Environment["WITH SPACE"] = "x y $(z)";
        var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec);
        Assert.True(result.ExitCode == 0, string.Join("\n", error));
        // bwrap sets PWD to the directory it changed to (the spec's WorkingDirectory).
        var expected = backend == BackendKind.Bwrap ? new[] { "A=1", "PWD=/", "WITH SPACE=x y $(z)" } : new[] { "A=1", "WITH SPACE=x y $(z)" };
        Assert.Equal(expected, output.Order(StringComparer.Ordinal));
    }

    [KernelTheory("unshare", "bwrap", "setpriv", "env")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task InheritedEnvironmentCanSetAndRemove(long uid, BackendKind backend)
    {
        var spec = SandboxTestHost.Spec(backend, "env");
        spec.Mapping = IdentityMapping.RootUser;
        spec.Environment["PATH"] = null;
        spec.Environment["USERNSTOOLS_TEST"] = "yes";
        var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec);
        Assert.True(result.ExitCode == 0, string.Join("\n", error));
        Assert.Contains("USERNSTOOLS_TEST=yes", output);
        Assert.DoesNotContain(output, l => l.StartsWith("PATH=", StringComparison.Ordinal));
        Assert.True(output.Count > 2, "the caller's other variables are inherited");
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task WorkingDirectoryIsWhereTheProgramStarts(long uid, BackendKind backend)
    {
        var spec = SandboxTestHost.Spec(backend, "pwd");
        spec.Mapping = IdentityMapping.RootUser;
        spec.WorkingDirectory = "/usr/bin";
        var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec);
        Assert.True(result.ExitCode == 0, string.Join("\n", error));
        Assert.Equal(new[] { "/usr/bin" }, output);
    }

    [KernelTheory("bwrap", "setpriv")]
    [MemberData(nameof(Users))]
    public async Task ReadOnlyRootWithAWritableBindMount(long uid)
    {
        var dir = Directory.CreateTempSubdirectory("usernstools-bind-");
        try
        {
            File.SetUnixFileMode(dir.FullName, (UnixFileMode)0x1FF);
            var spec = SandboxTestHost.Spec(BackendKind.Auto, "sh", "-c", "touch /usr/usernstools-probe 2>/dev/null && echo root-writable; echo inside > /mnt/file && echo bind-writable");
            spec.Mapping = IdentityMapping.RootUser;
            spec.ReadOnlyRoot = true;
            spec.BindMounts.Add(new BindMount(dir.FullName, "/mnt"));
            var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec);
            Assert.Equal(BackendKind.Bwrap, result.Backend);
            Assert.True(result.ExitCode == 0, string.Join("\n", error));
            Assert.Equal(new[] { "bind-writable" }, output);
            Assert.Equal("inside\n", File.ReadAllText(Path.Combine(dir.FullName, "file")));
            Assert.False(File.Exists("/usr/usernstools-probe"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [KernelTheory("bwrap", "setpriv")]
    [MemberData(nameof(Users))]
    public async Task ReadOnlyRootBindsOntoPathsTheHostLacks(long uid)
    {
        var source = Directory.CreateTempSubdirectory("usernstools-bind-");
        var existing = Directory.CreateTempSubdirectory("usernstools-holder-");
        var top = "/usernstools-missing-" + Guid.NewGuid().ToString("N");
        try
        {
            File.SetUnixFileMode(source.FullName, (UnixFileMode)0x1FF);
            File.SetUnixFileMode(existing.FullName, (UnixFileMode)0x1ED);
            File.WriteAllText(Path.Combine(existing.FullName, "kept"), "kept\n");
            var spec = SandboxTestHost.Spec(
                BackendKind.Auto,
                "sh",
                "-c",
                "echo inside > \"$1/file\" && echo top-writable; cat \"$2/kept\"; test -d \"$2/new\" && echo nested-there; "
                    + "touch /usernstools-probe 2>/dev/null && echo root-writable; touch \"$2/probe\" 2>/dev/null && echo holder-writable; ls /usr/bin/sh",
                "sh",
                top + "/data",
                existing.FullName);
            spec.Mapping = IdentityMapping.RootUser;
            spec.ReadOnlyRoot = true;
            spec.BindMounts.Add(new BindMount(source.FullName, top + "/data"));
            spec.BindMounts.Add(new BindMount(source.FullName, existing.FullName + "/new", readOnly: true));
            var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec);
            Assert.True(result.ExitCode == 0, string.Join("\n", error));
            Assert.Equal(new[] { "top-writable", "kept", "nested-there", "/usr/bin/sh" }, output);
            Assert.Equal("inside\n", File.ReadAllText(Path.Combine(source.FullName, "file")));

            // The mount points lived only inside: the host is unchanged.
            Assert.False(Directory.Exists(top));
            Assert.False(Directory.Exists(Path.Combine(existing.FullName, "new")));
            Assert.False(File.Exists("/usernstools-probe"));
        }
        finally
        {
            source.Delete(recursive: true);
            existing.Delete(recursive: true);
        }
    }

    [KernelTheory("bwrap", "setpriv", "ip")]
    [MemberData(nameof(Users))]
    public async Task LoopbackNetworkHasOnlyLoopbackAndItIsUp(long uid)
    {
        var spec = SandboxTestHost.Spec(BackendKind.Auto, "ip", "-o", "link", "show");
        spec.Mapping = IdentityMapping.RootUser;
        spec.LoopbackNetwork = true;
        var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec);
        Assert.True(result.ExitCode == 0, string.Join("\n", error));
        var line = Assert.Single(output);
        Assert.Contains(": lo:", line, StringComparison.Ordinal);
        Assert.Contains("UP", line, StringComparison.Ordinal);
    }

    [KernelTheory("unshare", "setpriv", "newuidmap", "newgidmap", RequiresRoot = true)]
    [MemberData(nameof(Users))]
    public async Task AutoMappingUsesSubordinateIds(long uid)
    {
        // /etc/subuid and /etc/subgid are replaced only inside a private mount namespace made for this test.
        var dir = Directory.CreateTempSubdirectory("usernstools-subid-");
        try
        {
            var name = uid == 0 ? "root" : "nobody";
            File.WriteAllText(Path.Combine(dir.FullName, "subuid"), $"{name}:200000:65536\n");
            File.WriteAllText(Path.Combine(dir.FullName, "subgid"), $"{name}:300000:65536\n");
            var tools = SandboxTestHost.ToolsFor(uid) with
            {
                LaunchPrefix = new[]
                {
                    SandboxTestHost.CallerTools.UnsharePath!, "--mount", "--propagation", "private", "--",
                    "/bin/sh", "-c", "mount --bind \"$1\" /etc/subuid && mount --bind \"$2\" /etc/subgid && shift 2 && exec \"$@\"", "sh",
                    Path.Combine(dir.FullName, "subuid"), Path.Combine(dir.FullName, "subgid"),
                },
            };
            var spec = SandboxTestHost.Spec(BackendKind.Auto, "cat", "/proc/self/uid_map", "/proc/self/gid_map");
            spec.Mapping = IdentityMapping.Auto;
            var output = new List<string>();
            var error = new List<string>();
            var result = await new NamespacedProcessRunner(tools).RunAsync(spec, new ProcessIo { Output = output.Add, Error = error.Add }, CancellationToken.None);
            Assert.True(result.ExitCode == 0, string.Join("\n", error));
            var gid = uid;
            Assert.Equal(
                new[] { $"0 {uid} 1", "1 200000 65535", $"0 {gid} 1", "1 300000 65535" },
                ProcessNamespaceReader.ParseMap(string.Join("\n", output)).Select(e => e.ToString()));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [KernelFact("unshare", "setpriv")]
    public async Task InteractiveRunInheritsTheStreams()
    {
        var spec = SandboxTestHost.Spec(BackendKind.Unshare, "sh", "-c", "exit 3");
        spec.Mapping = IdentityMapping.RootUser;
        var lines = 0;
        var result = await SandboxTestHost.RunnerFor(SandboxTestHost.CallerTools.Uid)
            .RunAsync(spec, new ProcessIo { Interactive = true, Output = _ => lines++ }, CancellationToken.None);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal(0, lines);
    }

    [Fact]
    public void ResultsAndSpecsRoundTripThroughJson()
    {
        var result = new NamespacedProcessResult
        {
            ExitCode = 137,
            Signal = 9,
            TimedOut = true,
            Duration = TimeSpan.FromMilliseconds(1500),
            Backend = BackendKind.Bwrap,
            Argv = new[] { "/usr/bin/bwrap", "--", "id" },
            Namespaces = NamespaceKind.User | NamespaceKind.Pid,
            ProcessId = 42,
        };
        var json = JsonSerializer.Serialize(result, UsernsJsonContext.Default.NamespacedProcessResult);
        Assert.Contains("\"backend\": \"Bwrap\"", json, StringComparison.Ordinal);
        Assert.Contains("\"signal\": 9", json, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize(json, UsernsJsonContext.Default.NamespacedProcessResult)!;
        Assert.Equal(result.Namespaces, back.Namespaces);
        Assert.Equal(result.Argv, back.Argv);
        Assert.Equal(result.Duration, back.Duration);

        var spec = new NamespaceSpec { FilePath = "id", Mapping = IdentityMapping.User, MapUserId = 5, BindMounts = { new BindMount("/a", "/b", true) } };
        var specBack = JsonSerializer.Deserialize(JsonSerializer.Serialize(spec, UsernsJsonContext.Default.NamespaceSpec), UsernsJsonContext.Default.NamespaceSpec)!;
        Assert.Equal(5, specBack.MapUserId);
        Assert.True(Assert.Single(specBack.BindMounts).ReadOnly);

        var ns = ProcessNamespaceReader.ReadSelf();
        var nsBack = JsonSerializer.Deserialize(JsonSerializer.Serialize(ns, UsernsJsonContext.Default.ProcessNamespace), UsernsJsonContext.Default.ProcessNamespace)!;
        Assert.Equal(ns.UserNamespace, nsBack.UserNamespace);
        Assert.Equal(ns.UidMap.Select(e => e.ToString()), nsBack.UidMap.Select(e => e.ToString()));
    }
}
