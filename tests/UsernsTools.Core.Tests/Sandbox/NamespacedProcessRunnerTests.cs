using System.Globalization;
using System.Text;
using UsernsTools.Sandbox;
using Xunit;

namespace UsernsTools.Tests.Sandbox;

public class NamespacedProcessRunnerTests
{
    public static TheoryData<long, BackendKind> UsersAndBackends => SandboxTestHost.UsersAndBackends();

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task RootMappingMakesTheCallerUidZeroInside(long uid, BackendKind backend)
    {
        var spec = SandboxTestHost.Spec(backend, "id", "-u");
        spec.Mapping = IdentityMapping.RootUser;
        var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec);
        Assert.True(result.ExitCode == 0, string.Join("\n", error));
        Assert.Equal(new[] { "0" }, output);
        Assert.Equal(backend, result.Backend);
        Assert.True((result.Namespaces & NamespaceKind.User) != 0);
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task CurrentMappingKeepsTheCallerUid(long uid, BackendKind backend)
    {
        var spec = SandboxTestHost.Spec(backend, "id", "-u");
        spec.Mapping = IdentityMapping.CurrentUser;
        var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec);
        Assert.True(result.ExitCode == 0, string.Join("\n", error));
        Assert.Equal(new[] { uid.ToString(CultureInfo.InvariantCulture) }, output);
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task ProgramIsPidOneInAPidNamespace(long uid, BackendKind backend)
    {
        var spec = SandboxTestHost.Spec(backend, "sh", "-c", "echo $$");
        spec.Mapping = IdentityMapping.RootUser;
        spec.Namespaces = NamespaceKind.Pid;
        var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec);
        Assert.True(result.ExitCode == 0, string.Join("\n", error));
        Assert.Equal(new[] { "1" }, output);
    }

    [KernelTheory("unshare", "bwrap", "setpriv", "hostname")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task HostnameSetInsideStaysInside(long uid, BackendKind backend)
    {
        var hostBefore = File.ReadAllText("/proc/sys/kernel/hostname").Trim();
        var name = "sandbox-" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        var spec = SandboxTestHost.Spec(backend, "cat", "/proc/sys/kernel/hostname");
        spec.Mapping = IdentityMapping.RootUser;
        spec.Hostname = name;
        var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec);
        Assert.True(result.ExitCode == 0, string.Join("\n", error));
        Assert.Equal(new[] { name }, output);
        Assert.Equal(hostBefore, File.ReadAllText("/proc/sys/kernel/hostname").Trim());
        Assert.True((result.Namespaces & NamespaceKind.Uts) != 0);
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task MountedProcListsOnlyTheSandboxProcesses(long uid, BackendKind backend)
    {
        // The loop runs in the shell itself (pid 1), so /proc must list exactly one process.
        var spec = SandboxTestHost.Spec(backend, "sh", "-c", "for p in /proc/[0-9]*; do echo \"${p#/proc/}\"; done");
        spec.Mapping = IdentityMapping.RootUser;
        spec.Namespaces = NamespaceKind.Pid;
        spec.MountProc = true;
        var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec);
        Assert.True(result.ExitCode == 0, string.Join("\n", error));
        Assert.Equal(new[] { "1" }, output);
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task ExitCodeComesBack(long uid, BackendKind backend)
    {
        var spec = SandboxTestHost.Spec(backend, "sh", "-c", "echo oops >&2; exit 42");
        spec.Mapping = IdentityMapping.RootUser;
        spec.Namespaces = NamespaceKind.Pid;
        var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec);
        Assert.Equal(42, result.ExitCode);
        Assert.Null(result.Signal);
        Assert.False(result.TimedOut);
        Assert.Empty(output);
        Assert.Equal(new[] { "oops" }, error);
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task SignalComesBack(long uid, BackendKind backend)
    {
        // Not in a pid namespace: there the shell would be init, which cannot signal itself to death.
        var spec = SandboxTestHost.Spec(backend, "sh", "-c", "kill -TERM $$");
        spec.Mapping = IdentityMapping.RootUser;
        var (result, _, error) = await SandboxTestHost.RunAsync(uid, spec);
        Assert.True(result.Signal == 15, $"exit {result.ExitCode}: " + string.Join("\n", error));
        Assert.Equal(143, result.ExitCode);
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task SignalOfAForkedProgramComesBackThroughTheBackend(long uid, BackendKind backend)
    {
        // In a pid namespace the program is a child of unshare --fork or bwrap, which must pass its death on.
        var sleep = SandboxTestHost.UniqueSleep();
        var spec = SandboxTestHost.Spec(backend, "sleep", sleep);
        spec.Mapping = IdentityMapping.RootUser;
        spec.Namespaces = NamespaceKind.Pid;
        spec.Timeout = TimeSpan.FromSeconds(30);
        var run = SandboxTestHost.RunAsync(uid, spec);
        int[] sleeps = Array.Empty<int>();
        var started = await SandboxTestHost.EventuallyAsync(
            () => (sleeps = SandboxTestHost.ProcessesWith(sleep).Where(p => File.ReadAllText($"/proc/{p}/comm").Trim() == "sleep").ToArray()).Length == 1,
            TimeSpan.FromSeconds(5));
        Assert.True(started);
        SandboxTestHost.KillAll(sleeps);
        var (result, _, _) = await run;
        Assert.False(result.TimedOut);
        Assert.Equal(9, result.Signal);
        Assert.Equal(137, result.ExitCode);
    }

    [KernelTheory("unshare", "bwrap", "setpriv", "base64")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task ArgumentsArriveByteForByte(long uid, BackendKind backend)
    {
        string[] arguments =
        {
            "two words", "'single'", "\"double\"", "$(touch /tmp/never)", "`id`", "a;b", "line1\nline2", "", " ",
            "--", "-c", "*", "ümlaut €", "tab\there", "back\\slash", "$HOME", "&&", "|",
        };
        var script = "printf '%s\\0' \"$@\" | base64 -w0; echo";
        var spec = SandboxTestHost.Spec(backend, "sh", new[] { "-c", script, "sh" }.Concat(arguments).ToArray());
        spec.Mapping = IdentityMapping.RootUser;
        var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec);
        Assert.True(result.ExitCode == 0, string.Join("\n", error));
        var received = Encoding.UTF8.GetString(Convert.FromBase64String(Assert.Single(output))).Split('\0')[..^1];
        Assert.Equal(arguments, received);
    }

    [KernelTheory("unshare", "bwrap", "setpriv")]
    [MemberData(nameof(UsersAndBackends))]
    public async Task InputReachesStdin(long uid, BackendKind backend)
    {
        var lines = new[] { "first line", "$(not run)", "ümlaut", "" }.Concat(Enumerable.Range(0, 5000).Select(i => "line " + i.ToString(CultureInfo.InvariantCulture))).ToList();
        var spec = SandboxTestHost.Spec(backend, "cat");
        spec.Mapping = IdentityMapping.RootUser;
        var (result, output, error) = await SandboxTestHost.RunAsync(uid, spec, lines);
        Assert.True(result.ExitCode == 0, string.Join("\n", error));
        Assert.Equal(lines, output);
    }
}
