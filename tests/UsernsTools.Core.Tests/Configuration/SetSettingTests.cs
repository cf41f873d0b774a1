using System.Text;
using UsernsTools.Configuration;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Configuration;

public class SetSettingTests
{
    private const string Max = "user.max_user_namespaces";
    private const string DropIn = "/etc/sysctl.d/99-zz-usernstools.conf";

    [Fact]
    public async Task RuntimeAndPersistentSetWritesTheDropInAndTheProcValue()
    {
        using var root = new TestRoot().WithProc(Max, "5000");

        var result = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "0"), root.Context());

        Assert.Equal("0", root.Proc(Max));
        Assert.Equal(SysctlDropIn.Header + "user.max_user_namespaces = 0\n", root.Text(DropIn));
        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(root.Full(DropIn)));
        Assert.Equal(2, result.Changes.Count);
        Assert.All(result.Changes, c => Assert.Equal(ChangeStatus.Applied, c.Status));
        Assert.All(result.Changes, c => Assert.Equal(result.BackupId, c.BackupId));
        var runtime = Assert.Single(result.Changes, c => c.Kind == ChangeKind.RuntimeSetting);
        Assert.Equal(("5000", "0", ChangeScope.Runtime, "/proc/sys/user/max_user_namespaces"), (runtime.Before, runtime.After, runtime.Scope, runtime.Target));
        var file = Assert.Single(result.Changes, c => c.Kind == ChangeKind.SysctlDropIn);
        Assert.Equal((DropIn, ChangeScope.Persistent, Max), (file.File, file.Scope, file.Setting));
        var backup = Assert.Single(Remediation.GetBackups(root.Context()));
        Assert.Equal(BackupState.Complete, backup.State);
        Assert.Equal(result.BackupId, backup.BackupId);
    }

    [Fact]
    public async Task EachChangeSaysWhatItDidAndNamesItsFileOnce()
    {
        using var root = new TestRoot().WithProc(Max, "5000");

        var result = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "0"), root.Context());

        var file = Assert.Single(result.Changes, c => c.Kind == ChangeKind.SysctlDropIn);
        Assert.Equal($"Persist {Max} = 0 in {root.Full(DropIn)}", file.Description);
        var runtime = Assert.Single(result.Changes, c => c.Kind == ChangeKind.RuntimeSetting);
        Assert.Equal($"Set {Max} from 5000 to 0 in the running kernel ({root.Full("/proc/sys/user/max_user_namespaces")})", runtime.Description);
    }

    [Fact]
    public async Task OtherLinesOfTheDropInAreKept()
    {
        using var root = new TestRoot()
            .WithProc(Max, "5")
            .WithFile(DropIn, "# mine\nkernel.unprivileged_userns_clone = 1\nuser.max_user_namespaces = 5\n", mode: 0x180);

        await Remediation.SetSettingAsync(new SetSettingRequest(Max, "9") { Scope = ChangeScope.Persistent }, root.Context());

        Assert.Equal("# mine\nkernel.unprivileged_userns_clone = 1\nuser.max_user_namespaces = 9\n", root.Text(DropIn));
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(root.Full(DropIn)));
        Assert.Equal("5", root.Proc(Max));
    }

    [Fact]
    public async Task SettingTheValueInForceChangesNothingAndSaysSo()
    {
        using var root = new TestRoot()
            .WithProc(Max, "0")
            .WithFile("/usr/lib/sysctl.d/50-hardening.conf", "user.max_user_namespaces = 0\n");
        var before = root.Tree();

        var result = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "00"), root.Context());

        Assert.Null(result.BackupId);
        Assert.False(result.Changed);
        Assert.Equal(2, result.Changes.Count);
        Assert.All(result.Changes, c => Assert.Equal(ChangeStatus.AlreadyInDesiredState, c.Status));
        Assert.Contains(result.Changes, c => c.Description.Contains("/usr/lib/sysctl.d/50-hardening.conf", StringComparison.Ordinal));
        Assert.Equal(before, root.Tree());
        Assert.True(Remediation.TestSetting(new SetSettingRequest(Max, "0"), root.Context()));
    }

    [Fact]
    public async Task RepeatingASetIsANoOp()
    {
        using var root = new TestRoot().WithProc(Max, "10");
        await Remediation.SetSettingAsync(new SetSettingRequest(Max, "20"), root.Context());
        var after = root.Tree();

        var again = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "20"), root.Context());

        Assert.All(again.Changes, c => Assert.Equal(ChangeStatus.AlreadyInDesiredState, c.Status));
        Assert.Equal(after, root.Tree());
        Assert.Single(Remediation.GetBackups(root.Context()));
    }

    [Fact]
    public void TestSettingChecksEachScopeAsked()
    {
        using var root = new TestRoot()
            .WithProc(Max, "0")
            .WithFile("/etc/sysctl.d/50-x.conf", "user.max_user_namespaces = 100\n");
        var context = root.Context();

        Assert.True(Remediation.TestSetting(new SetSettingRequest(Max, "0") { Scope = ChangeScope.Runtime }, context));
        Assert.False(Remediation.TestSetting(new SetSettingRequest(Max, "0") { Scope = ChangeScope.Persistent }, context));
        Assert.False(Remediation.TestSetting(new SetSettingRequest(Max, "0"), context));
        Assert.True(Remediation.TestSetting(new SetSettingRequest(Max, "100") { Scope = ChangeScope.Persistent }, context));
    }

    [Fact]
    public async Task DeclinedChangesWriteNothing()
    {
        using var root = new TestRoot().WithProc(Max, "5");
        var before = root.Tree();
        var asked = new List<PlannedChange>();

        var result = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "0"), root.Context(), c =>
        {
            asked.Add(c);
            return false;
        });

        Assert.Equal(new[] { DropIn, "/proc/sys/user/max_user_namespaces" }, asked.Select(c => c.Target));
        Assert.Contains("user.max_user_namespaces = 0", asked[0].Action, StringComparison.Ordinal);
        Assert.All(result.Changes, c => Assert.Equal(ChangeStatus.Declined, c.Status));
        Assert.Equal(before, root.Tree());
    }

    [Fact]
    public async Task ConfirmingOneChangeAppliesOnlyThatOne()
    {
        using var root = new TestRoot().WithProc(Max, "5");

        var result = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "0"), root.Context(), c => c.Kind == ChangeKind.RuntimeSetting);

        Assert.Equal("0", root.Proc(Max));
        Assert.Null(root.Text(DropIn));
        Assert.Equal(ChangeStatus.Declined, Assert.Single(result.Changes, c => c.Kind == ChangeKind.SysctlDropIn).Status);
        var backup = Assert.Single(Remediation.GetBackups(root.Context()));
        Assert.Equal(new[] { "/proc/sys/user/max_user_namespaces" }, backup.Targets);
    }

    [Theory]
    [InlineData(Max, "-1", "SettingValueOutOfRange")]
    [InlineData(Max, "2147483648", "SettingValueOutOfRange")]
    [InlineData(Max, "99999999999999999999999", "SettingValueOutOfRange")]
    [InlineData(Max, "abc", "InvalidSettingValue")]
    [InlineData(Max, "1.5", "InvalidSettingValue")]
    [InlineData(Max, "0x10", "InvalidSettingValue")]
    [InlineData(Max, "", "InvalidSettingValue")]
    [InlineData(Max, "1 2", "InvalidSettingValue")]
    [InlineData("kernel.unprivileged_userns_clone", "2", "SettingValueOutOfRange")]
    [InlineData("kernel.core_pattern", "1", "UnknownSetting")]
    [InlineData("../../etc/passwd", "1", "UnknownSetting")]
    [InlineData("user_namespace.enable", "1", "BootOptionRequired")]
    public async Task BadValuesAreRejectedWithNothingWritten(string name, string value, string errorId)
    {
        using var root = new TestRoot().WithProc(Max, "5").WithProc("kernel.unprivileged_userns_clone", "1");
        var before = root.Tree();

        var ex = await Assert.ThrowsAsync<UsernsException>(() => Remediation.SetSettingAsync(new SetSettingRequest(name, value), root.Context()));

        Assert.Equal(errorId, ex.ErrorId);
        Assert.True(ex.Category == UsernsErrorCategory.InvalidArgument || errorId == "BootOptionRequired");
        Assert.Equal(before, root.Tree());
    }

    [Fact]
    public async Task RuntimeSetOfASettingThisKernelLacksIsRefused()
    {
        using var root = new TestRoot().WithProc(Max, "5");
        var before = root.Tree();

        var ex = await Assert.ThrowsAsync<UsernsException>(() =>
            Remediation.SetSettingAsync(new SetSettingRequest("kernel.unprivileged_userns_clone", "1"), root.Context()));

        Assert.Equal("SettingNotPresent", ex.ErrorId);
        Assert.Equal(before, root.Tree());
    }

    [Fact]
    public async Task ASymlinkPlantedAtTheTargetIsRefused()
    {
        using var root = new TestRoot().WithProc(Max, "5").WithFile("/elsewhere/victim", "precious\n");
        Directory.CreateDirectory(root.Full("/etc/sysctl.d"));
        File.CreateSymbolicLink(root.Full(DropIn), root.Full("/elsewhere/victim"));
        var before = root.Tree();

        var ex = await Assert.ThrowsAsync<UsernsException>(() => Remediation.SetSettingAsync(new SetSettingRequest(Max, "0"), root.Context()));

        Assert.Equal("TargetIsSymlink", ex.ErrorId);
        Assert.Equal("precious\n", root.Text("/elsewhere/victim"));
        Assert.Equal(before, root.Tree());
    }

    [Fact]
    public async Task ASymlinkedManagedFolderIsRefused()
    {
        using var root = new TestRoot().WithProc(Max, "5");
        Directory.CreateDirectory(root.Full("/elsewhere"));
        Directory.CreateDirectory(root.Full("/etc"));
        Directory.CreateSymbolicLink(root.Full("/etc/sysctl.d"), root.Full("/elsewhere"));

        var ex = await Assert.ThrowsAsync<UsernsException>(() =>
            Remediation.SetSettingAsync(new SetSettingRequest(Max, "0") { Scope = ChangeScope.Persistent }, root.Context()));

        Assert.Equal("TargetIsSymlink", ex.ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.Full("/elsewhere")));
    }

    [Fact]
    public async Task RestoreGivesBackIdenticalBytesModeAndOwner()
    {
        var original = new byte[] { 0x23, 0x20, 0xFF, 0xFE, 0x0D, 0x0A, 0x75, 0x73, 0x65, 0x72, 0x2E, 0x6D, 0x61, 0x78, 0x5F, 0x75, 0x73, 0x65, 0x72, 0x5F, 0x6E, 0x61, 0x6D, 0x65, 0x73, 0x70, 0x61, 0x63, 0x65, 0x73, 0x3D, 0x33 };
        using var root = new TestRoot().WithProc(Max, "3");
        Directory.CreateDirectory(root.Full("/etc/sysctl.d"));
        File.WriteAllBytes(root.Full(DropIn), original);
        File.SetUnixFileMode(root.Full(DropIn), (UnixFileMode)0x1E0); // 0740
        var ownerChanged = CurrentProcess.EffectiveUid == 0 && Chown(root.Full(DropIn), 1234, 5678);
        var before = root.Tree();

        var set = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "0"), root.Context());
        Assert.NotEqual(original, File.ReadAllBytes(root.Full(DropIn)));
        var restore = await Remediation.RestoreAsync(new RestoreRequest { BackupId = set.BackupId }, root.Context());

        Assert.Equal(original, File.ReadAllBytes(root.Full(DropIn)));
        Assert.Equal((UnixFileMode)0x1E0, File.GetUnixFileMode(root.Full(DropIn)));
        Assert.Equal("3", root.Proc(Max));
        if (ownerChanged)
        {
            var stat = UnixFile.LStat(root.Full(DropIn))!;
            Assert.Equal((1234L, 5678L), (stat.OwnerUid, stat.OwnerGid));
        }

        Assert.Equal(before.Where(kv => !kv.Key.StartsWith("/var", StringComparison.Ordinal)), root.Tree().Where(kv => !kv.Key.StartsWith("/var", StringComparison.Ordinal)));
        Assert.All(restore.Changes.Where(c => c.Status == ChangeStatus.Applied), c => Assert.Equal(restore.BackupId, c.BackupId));
        var backups = Remediation.GetBackups(root.Context());
        Assert.Equal(BackupState.Restored, backups.Single(b => b.BackupId == set.BackupId).State);
        Assert.Equal(restore.BackupId, backups.Single(b => b.BackupId == set.BackupId).RestoredBy);
        Assert.Equal(set.BackupId, backups.Single(b => b.BackupId == restore.BackupId).RestoresBackupId);
    }

    [Fact]
    public async Task RestoreRemovesAFileThatDidNotExist()
    {
        using var root = new TestRoot().WithProc(Max, "3");
        var before = root.Tree();

        await Remediation.SetSettingAsync(new SetSettingRequest(Max, "0"), root.Context());
        Assert.NotNull(root.Text(DropIn));
        await Remediation.RestoreAsync(new RestoreRequest { Newest = true }, root.Context());

        Assert.False(File.Exists(root.Full(DropIn)));
        Assert.Equal(before, root.Tree().Where(kv => !kv.Key.StartsWith("/var", StringComparison.Ordinal) && kv.Key != "/etc/sysctl.d" && kv.Key != "/etc"));
    }

    [Fact]
    public async Task RestoreWithoutAnIdWalksBackThroughHistory()
    {
        using var root = new TestRoot().WithProc(Max, "1");
        var context = root.Context();
        await Remediation.SetSettingAsync(new SetSettingRequest(Max, "2"), context);
        await Remediation.SetSettingAsync(new SetSettingRequest(Max, "3"), context);

        await Remediation.RestoreAsync(new RestoreRequest { Newest = true }, context);
        Assert.Equal("2", root.Proc(Max));
        Assert.Equal("2", SysctlDropIn.ValueOf(root.Text(DropIn), Max));

        await Remediation.RestoreAsync(new RestoreRequest { Newest = true }, context);
        Assert.Equal("1", root.Proc(Max));
        Assert.Null(root.Text(DropIn));

        var ex = await Assert.ThrowsAsync<UsernsException>(() => Remediation.RestoreAsync(new RestoreRequest { Newest = true }, context));
        Assert.Equal("NoBackupToRestore", ex.ErrorId);
    }

    [Fact]
    public async Task AnInterruptedRecordBlocksNewChangesUntilRolledBack()
    {
        using var root = new TestRoot().WithProc(Max, "4").WithFile(DropIn, "user.max_user_namespaces = 4\n");
        var before = root.Tree();
        var dying = root.Context() with { FaultPoint = p => { if (p == "change-applied-0") { throw new InvalidOperationException("simulated death"); } } };
        await Assert.ThrowsAsync<InvalidOperationException>(() => Remediation.SetSettingAsync(new SetSettingRequest(Max, "8"), dying));

        var pending = Assert.Single(Remediation.GetBackups(root.Context()));
        Assert.Equal(BackupState.Incomplete, pending.State);
        Assert.All(pending.Changes, c => Assert.Equal(ChangeStatus.Interrupted, c.Status));
        var blocked = await Assert.ThrowsAsync<UsernsException>(() => Remediation.SetSettingAsync(new SetSettingRequest(Max, "9"), root.Context()));
        Assert.Equal("InterruptedChangePending", blocked.ErrorId);
        Assert.Equal(pending.BackupId, blocked.TargetValue);

        await Remediation.RestoreAsync(new RestoreRequest { BackupId = pending.BackupId }, root.Context());

        Assert.Equal(before, root.Tree().Where(kv => !kv.Key.StartsWith("/var", StringComparison.Ordinal)));
        Assert.Equal(BackupState.RolledBack, Remediation.GetBackups(root.Context()).Single(b => b.BackupId == pending.BackupId).State);
        await Remediation.SetSettingAsync(new SetSettingRequest(Max, "9"), root.Context());
        Assert.Equal("9", root.Proc(Max));
    }

    [Fact]
    public async Task JournalRecordHoldsPreviousBytesBeforeAnythingIsWritten()
    {
        using var root = new TestRoot().WithProc(Max, "4").WithFile(DropIn, "user.max_user_namespaces = 4\n", mode: 0x180);
        JournalRecord? seen = null;
        var context = root.Context() with
        {
            FaultPoint = p =>
            {
                if (p == "journal-written")
                {
                    seen = new Journal(root.Path).List().Single();
                    Assert.Equal("user.max_user_namespaces = 4\n", root.Text(DropIn));
                }
            },
        };

        await Remediation.SetSettingAsync(new SetSettingRequest(Max, "8"), context);

        Assert.NotNull(seen);
        Assert.Equal(BackupState.Incomplete, seen!.State);
        var file = seen.Entries.Single(e => e.Kind == JournalEntryKind.File);
        Assert.Equal(("user.max_user_namespaces = 4\n", 0x180), (Encoding.UTF8.GetString(file.ToSnapshot().Content), file.Mode));
        Assert.Equal("4", seen.Entries.Single(e => e.Kind == JournalEntryKind.Runtime).Value);
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(root.Full(Journal.PathOf(seen.Id))));
    }

    [Theory]
    [InlineData("/etc/shadow", null, "TargetNotAllowed")]
    [InlineData("/etc/sysctl.d/../shadow", null, "TargetNotAllowed")]
    [InlineData(null, "kernel.core_pattern", "UnknownSetting")]
    public async Task ARecordEditedToPointElsewhereIsNotRestored(string? file, string? setting, string errorId)
    {
        using var root = new TestRoot().WithProc(Max, "3").WithFile("/etc/shadow", "root:*:1::::::\n");
        var set = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "0"), root.Context());
        var journal = new Journal(root.Path);
        var record = journal.List().Single();
        if (file is not null)
        {
            record.Entries.Single(e => e.Kind == JournalEntryKind.File).Target = file;
        }

        if (setting is not null)
        {
            record.Entries.Single(e => e.Kind == JournalEntryKind.Runtime).Setting = setting;
        }

        journal.Save(record);
        var before = root.Tree();

        var ex = await Assert.ThrowsAsync<UsernsException>(() => Remediation.RestoreAsync(new RestoreRequest { BackupId = set.BackupId }, root.Context()));

        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(before, root.Tree());
    }

    private static bool Chown(string path, int uid, int gid)
    {
        var result = ProcessRunner.Instance.RunAsync(new ProcessRequest(new[] { "chown", $"{uid}:{gid}", path }), CancellationToken.None).GetAwaiter().GetResult();
        return result.ExitCode == 0;
    }
}
