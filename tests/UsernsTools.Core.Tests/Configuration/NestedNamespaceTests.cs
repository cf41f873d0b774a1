using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Configuration;

/// <summary>
/// The runtime path for real: inside a nested user namespace the process is root of its own namespace and owns
/// its copy of user.max_user_namespaces, so the engine's write to /proc/sys happens for real without touching the
/// host. The helper runs as nobody (when the tests run as root), so a mistake could not write the host's files.
/// </summary>
public class NestedNamespaceTests
{
    private const string Script =
        "d=\"$1\"; shift\n"
        + "echo \"initial=$(cat /proc/sys/user/max_user_namespaces)\"\n"
        + "\"$@\" set --root \"$d\" --proc-root /proc --scope Runtime --name user.max_user_namespaces --value 0 >/dev/null || exit 91\n"
        + "echo \"after-set=$(cat /proc/sys/user/max_user_namespaces)\"\n"
        + "unshare -U true 2>/dev/null && echo create-after-set=ok || echo create-after-set=failed\n"
        + "\"$@\" restore --root \"$d\" --proc-root /proc >/dev/null || exit 92\n"
        + "echo \"after-restore=$(cat /proc/sys/user/max_user_namespaces)\"\n"
        + "unshare -U true 2>/dev/null && echo create-after-restore=ok || echo create-after-restore=failed\n";

    [KernelFact("unshare", "setpriv")]
    public async Task SetReadBackAndRestoreMaxUserNamespacesInANestedNamespace()
    {
        var hostBefore = File.ReadAllText("/proc/sys/user/max_user_namespaces");
        using var root = new TestRoot();
        var prefix = new List<string>();
        if (CurrentProcess.EffectiveUid == 0)
        {
            var chown = await ProcessRunner.Instance.RunAsync(new ProcessRequest(new[] { "chown", "-R", "65534:65534", root.Path }), CancellationToken.None);
            Assert.Equal(0, chown.ExitCode);
            prefix.AddRange(new[] { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups" });
        }

        prefix.AddRange(new[] { "unshare", "-Ur", "sh", "-c", Script, "sh", root.Path });
        var result = await HelperProcess.RunAsync(prefix, Array.Empty<string>());

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("0", lines["after-set"]);
        Assert.Equal("failed", lines["create-after-set"]);
        Assert.Equal(lines["initial"], lines["after-restore"]);
        Assert.Equal("ok", lines["create-after-restore"]);
        Assert.Equal(hostBefore, File.ReadAllText("/proc/sys/user/max_user_namespaces"));
    }
}
