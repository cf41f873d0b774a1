using System.Globalization;
using UsernsTools.Configuration;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Configuration;

/// <summary>Faults a real process meets: being killed mid-change, a read-only or full file system, no root.</summary>
public class FaultTests
{
    private const string Max = "user.max_user_namespaces";
    private const string DropIn = "/etc/sysctl.d/99-zz-usernstools.conf";

    /// <summary>Exit status of a process killed by SIGKILL.</summary>
    private const int KilledBySigkill = 128 + 9;

    [Theory]
    [InlineData("journal-written")]
    [InlineData("change-applied-0")]
    public async Task AProcessKilledMidChangeIsRecoveredExactly(string crashPoint)
    {
        using var root = new TestRoot().WithProc(Max, "4").WithFile(DropIn, "# kept\nuser.max_user_namespaces = 4\n", mode: 0x1A0);
        var before = root.Tree();

        var crashed = await HelperProcess.RunAsync(
            Array.Empty<string>(),
            SetArgs(root, "8"),
            new Dictionary<string, string?> { ["USERNSTOOLS_TEST_CRASH_AT"] = crashPoint });

        Assert.Equal(KilledBySigkill, crashed.ExitCode);
        if (crashPoint == "change-applied-0")
        {
            Assert.Contains("= 8", root.Text(DropIn), StringComparison.Ordinal);
            Assert.Equal("4", root.Proc(Max));
        }

        var pending = Assert.Single(Remediation.GetBackups(root.Context()));
        Assert.Equal(BackupState.Incomplete, pending.State);
        var blocked = await HelperProcess.RunAsync(Array.Empty<string>(), SetArgs(root, "9"));
        Assert.Equal(3, blocked.ExitCode);
        Assert.StartsWith("InterruptedChangePending:", blocked.StandardError, StringComparison.Ordinal);

        var restored = await HelperProcess.RunAsync(Array.Empty<string>(), new[] { "restore", "--root", root.Path, "--backup-id", pending.BackupId });

        Assert.Equal(0, restored.ExitCode);
        Assert.Equal(TestRoot.FilesOutsideJournal(before), TestRoot.FilesOutsideJournal(root.Tree()));
        Assert.Equal(BackupState.RolledBack, Remediation.GetBackups(root.Context()).Single(b => b.BackupId == pending.BackupId).State);
    }

    [KernelFact("unshare", "mount")]
    public async Task AReadOnlyTargetFolderIsReportedWithNothingWritten()
    {
        using var root = new TestRoot().WithProc(Max, "4").WithFile(DropIn, "user.max_user_namespaces = 4\n");
        var before = root.Tree();

        // The bind mount is made read-only inside a private mount namespace: only the helper sees it.
        var result = await HelperProcess.RunAsync(
            new[] { "unshare", "-Urm", "sh", "-c", "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" && shift && exec \"$@\"", "sh", root.Full("/etc/sysctl.d") },
            SetArgs(root, "8"));

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("ReadOnlyFileSystem:", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, root.Tree());
    }

    [KernelFact("unshare", "mount", "dd")]
    public async Task AFullFileSystemLeavesTheOldFileIntactAndRollsBack()
    {
        using var root = new TestRoot().WithProc(Max, "4");
        Directory.CreateDirectory(root.Full("/etc/sysctl.d"));

        // A 16 KiB tmpfs in a private mount namespace holds the drop-in and a filler; the script reports what is
        // left on it after the helper ran, since the mount disappears with the namespace.
        const string script = "d=\"$1\"; shift\n"
            + "mount -t tmpfs -o size=16k tmpfs \"$d\" || exit 90\n"
            + "printf 'user.max_user_namespaces = 4\\n' > \"$d/99-zz-usernstools.conf\"\n"
            + "dd if=/dev/zero of=\"$d/filler\" bs=4k count=16 2>/dev/null\n"
            + "\"$@\"; echo \"helper-exit=$?\"\n"
            + "echo \"content=$(cat \"$d/99-zz-usernstools.conf\")\"\n"
            + "echo \"entries=$(ls -A \"$d\" | tr '\\n' ' ')\"\n";
        var result = await HelperProcess.RunAsync(new[] { "unshare", "-Urm", "sh", "-c", script, "sh", root.Full("/etc/sysctl.d") }, SetArgs(root, "8"));

        Assert.Contains("helper-exit=3", result.StandardOutput, StringComparison.Ordinal);
        Assert.StartsWith("NoSpaceLeft:", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("content=user.max_user_namespaces = 4\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("entries=99-zz-usernstools.conf filler \n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("4", root.Proc(Max));
        Assert.Equal(BackupState.RolledBack, Assert.Single(Remediation.GetBackups(root.Context())).State);
    }

    [KernelFact("setpriv", RequiresRoot = true)]
    public async Task WithoutRootThePermissionErrorSaysToUseSudoAndNothingIsWritten()
    {
        using var root = new TestRoot().WithProc(Max, "4");
        OpenForReading(root.Path);
        var before = root.Tree();

        var result = await HelperProcess.RunAsync(new[] { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups" }, SetArgs(root, "8"));

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("PermissionDenied:", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("sudo", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, root.Tree());
    }

    [Fact]
    public async Task ConcurrentProcessesEachWriteOneCompleteJournal()
    {
        using var root = new TestRoot().WithProc(Max, "4");
        var runs = Enumerable.Range(1, 6).Select(i => HelperProcess.RunAsync(Array.Empty<string>(), SetArgs(root, (100 + i).ToString(CultureInfo.InvariantCulture)))).ToList();

        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.Equal(0, r.ExitCode));
        var records = Remediation.GetBackups(root.Context());
        Assert.Equal(6, records.Count);
        Assert.All(records, r => Assert.Equal(BackupState.Complete, r.State));
        var befores = records.Select(r => r.Changes.Single(c => c.Kind == ChangeKind.RuntimeSetting).Before).ToList();
        Assert.Equal(6, befores.Distinct().Count());
        Assert.Matches(@"^user\.max_user_namespaces = 10[1-6]\n$", root.Text(DropIn)![SysctlDropIn.Header.Length..]);
    }

    private static string[] SetArgs(TestRoot root, string value) =>
        new[] { "set", "--root", root.Path, "--name", Max, "--value", value };

    private static void OpenForReading(string path)
    {
        const UnixFileMode dir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(path, dir);
        foreach (var d in Directory.EnumerateDirectories(path, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(d, dir);
        }

        foreach (var f in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(f, (UnixFileMode)0x1A4);
        }
    }
}
