using UsernsTools.Configuration;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Configuration;

/// <summary>
/// The journal stays true around restores: concurrent restores, a restore under a later change, an interrupted
/// restore, an unreadable record and the temporary files of a killed run.
/// </summary>
public class JournalTruthTests
{
    private const string Max = "user.max_user_namespaces";
    private const string DropIn = "/etc/sysctl.d/99-zz-usernstools.conf";

    [Fact]
    public async Task TwoConcurrentRestoresUndoTwoChanges()
    {
        using var root = new TestRoot().WithProc(Max, "4");
        Directory.CreateDirectory(root.Full("/etc/sysctl.d"));
        var before = root.Tree();
        await Remediation.SetSettingAsync(new SetSettingRequest(Max, "8"), root.Context());
        await Remediation.SetSettingAsync(new SetSettingRequest(Max, "9"), root.Context());

        // Both runs plan (and are approved) before either takes the lock: each must choose its record again under it.
        using var planned = new Barrier(2);
        Task<ApplyResult> Restore()
        {
            var waited = false;
            return Task.Run(() => Remediation.RestoreAsync(new RestoreRequest { Newest = true }, root.Context(), _ =>
            {
                if (!waited)
                {
                    waited = true;
                    Assert.True(planned.SignalAndWait(TimeSpan.FromSeconds(60)));
                }

                return true;
            }));
        }

        await Task.WhenAll(Restore(), Restore());

        Assert.Equal(TestRoot.FilesOutsideJournal(before), TestRoot.FilesOutsideJournal(root.Tree()));
        var originals = Remediation.GetBackups(root.Context()).Where(b => b.RestoresBackupId is null).ToList();
        Assert.Equal(2, originals.Count);
        Assert.All(originals, b => Assert.Equal(BackupState.Restored, b.State));
        Assert.All(originals, b => Assert.NotNull(b.RestoredBy));
    }

    [Fact]
    public async Task RestoringAChangeUnderALaterOneIsRefusedWithTheLaterOneNamed()
    {
        using var root = new TestRoot().WithProc(Max, "4");
        var first = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "8"), root.Context());
        var second = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "9"), root.Context());
        var tree = root.Tree();

        var ex = await Assert.ThrowsAsync<UsernsException>(() => Remediation.RestoreAsync(new RestoreRequest { BackupId = first.BackupId }, root.Context()));

        Assert.Equal("LaterChangeNotUndone", ex.ErrorId);
        Assert.Equal(second.BackupId, ex.TargetValue);
        Assert.Contains($"Restore-UsernsConfiguration -BackupId {second.BackupId}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(tree, root.Tree());
        Assert.All(Remediation.GetBackups(root.Context()), b => Assert.Equal(BackupState.Complete, b.State));

        // Newest first works, and leaves every record saying what happened.
        await Remediation.RestoreAsync(new RestoreRequest { BackupId = second.BackupId }, root.Context());
        await Remediation.RestoreAsync(new RestoreRequest { BackupId = first.BackupId }, root.Context());
        Assert.Equal("4", root.Proc(Max));
        Assert.Null(root.Text(DropIn));
        Assert.All(Remediation.GetBackups(root.Context()).Where(b => b.RestoresBackupId is null), b => Assert.Equal(BackupState.Restored, b.State));
        await Assert.ThrowsAsync<UsernsException>(() => Remediation.RestoreAsync(new RestoreRequest { Newest = true }, root.Context()));
        Assert.Equal("4", root.Proc(Max));
    }

    [Theory]
    [InlineData("journal-written")]
    [InlineData("change-applied-0")]
    [InlineData("change-applied-1")]
    public async Task TheAdviceAfterAnInterruptedRestoreFinishesThatRestore(string crashPoint)
    {
        using var root = new TestRoot().WithProc(Max, "4").WithFile(DropIn, "# kept\nuser.max_user_namespaces = 4\n", mode: 0x1A0);
        var before = root.Tree();
        var change = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "8"), root.Context());

        var crashed = await HelperProcess.RunAsync(
            Array.Empty<string>(),
            new[] { "restore", "--root", root.Path },
            new Dictionary<string, string?> { ["USERNSTOOLS_TEST_CRASH_AT"] = crashPoint });
        Assert.Equal(128 + 9, crashed.ExitCode);
        var interrupted = Remediation.GetBackups(root.Context()).Single(b => b.RestoresBackupId == change.BackupId);
        Assert.Equal(BackupState.Incomplete, interrupted.State);

        // What a user is told when the next change is refused, followed to the letter.
        var blocked = await Assert.ThrowsAsync<UsernsException>(() => Remediation.SetSettingAsync(new SetSettingRequest(Max, "9"), root.Context()));
        Assert.Equal("InterruptedChangePending", blocked.ErrorId);
        Assert.Contains($"Finish it first with Restore-UsernsConfiguration -BackupId {interrupted.BackupId}", blocked.Message, StringComparison.Ordinal);
        var finished = await Remediation.RestoreAsync(new RestoreRequest { BackupId = interrupted.BackupId }, root.Context());

        Assert.Equal(TestRoot.FilesOutsideJournal(before), TestRoot.FilesOutsideJournal(root.Tree()));
        var backups = Remediation.GetBackups(root.Context());
        Assert.Equal(2, backups.Count);
        Assert.Equal(BackupState.Restored, backups.Single(b => b.BackupId == change.BackupId).State);
        Assert.Equal(interrupted.BackupId, backups.Single(b => b.BackupId == change.BackupId).RestoredBy);
        Assert.Equal(BackupState.Complete, backups.Single(b => b.BackupId == interrupted.BackupId).State);
        Assert.Equal(interrupted.BackupId, finished.BackupId);

        // Undoing the finished restore puts the change back, as undoing any restore does.
        await Remediation.RestoreAsync(new RestoreRequest { BackupId = interrupted.BackupId }, root.Context());
        Assert.Equal("8", root.Proc(Max));
    }

    [Fact]
    public async Task AnUnreadableRecordIsNamedAndCanBeSetAside()
    {
        using var root = new TestRoot().WithProc(Max, "4");
        await Remediation.SetSettingAsync(new SetSettingRequest(Max, "8"), root.Context());
        var bad = root.Full("/var/lib/usernstools/backups/20200101-000000-000-0badf0.json");
        File.WriteAllText(bad, "{\"id\": \"20200101-000000-000-0badf0\", \"state\": ");

        var listed = Remediation.GetBackups(root.Context()).Single(b => b.BackupId == "20200101-000000-000-0badf0");
        Assert.Equal(bad, listed.Path);
        Assert.StartsWith("(unreadable record: ", listed.Operation, StringComparison.Ordinal);
        var set = await Assert.ThrowsAsync<UsernsException>(() => Remediation.SetSettingAsync(new SetSettingRequest(Max, "9"), root.Context()));
        var restore = await Assert.ThrowsAsync<UsernsException>(() => Remediation.RestoreAsync(new RestoreRequest { Newest = true }, root.Context()));
        var byId = await Assert.ThrowsAsync<UsernsException>(() => Remediation.RestoreAsync(new RestoreRequest { BackupId = "20200101-000000-000-0badf0" }, root.Context()));

        // A preview (nothing approved) is refused the same way, rather than showing a plan the run would refuse.
        var preview = await Assert.ThrowsAsync<UsernsException>(() => Remediation.SetSettingAsync(new SetSettingRequest(Max, "9"), root.Context(), approve: _ => false));

        foreach (var ex in new[] { set, restore, byId, preview })
        {
            Assert.Equal("JournalRecordUnreadable", ex.ErrorId);
            Assert.Contains($"'mv {bad} {bad}.unreadable'", ex.Message, StringComparison.Ordinal);
        }

        File.Move(bad, bad + ".unreadable");
        await Remediation.SetSettingAsync(new SetSettingRequest(Max, "9"), root.Context());
        Assert.Equal("9", root.Proc(Max));
        Assert.Equal(2, Remediation.GetBackups(root.Context()).Count);
    }

    [Fact]
    public async Task TemporaryFilesOfAKilledRunAreRemovedByTheNext()
    {
        using var root = new TestRoot().WithProc(Max, "4")
            .WithFile("/etc/sysctl.d/.99-zz-usernstools.conf.usernstools-0123456789ab.tmp", "user.max_user_namespaces = 77\n")
            .WithFile("/var/lib/usernstools/backups/.20200101-000000-000-abcdef.json.usernstools-ba9876543210.tmp", "{")
            .WithFile("/etc/sysctl.d/.other.conf.swp", "not ours")
            .WithFile("/elsewhere/precious", "precious\n");
        Directory.CreateDirectory(root.Full("/etc/apparmor.d"));
        File.CreateSymbolicLink(root.Full("/etc/apparmor.d/.x.usernstools-aaaaaaaaaaaa.tmp"), root.Full("/elsewhere/precious"));

        var result = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "8"), root.Context());

        Assert.Empty(Directory.EnumerateFileSystemEntries(root.Full("/etc/sysctl.d"), "*.usernstools-*.tmp"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.Full("/var/lib/usernstools/backups"), "*.tmp"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.Full("/etc/apparmor.d")));
        Assert.Equal("precious\n", root.Text("/elsewhere/precious"));
        Assert.Equal("not ours", root.Text("/etc/sysctl.d/.other.conf.swp"));
        Assert.Contains(result.Notes, n => n.Contains(".99-zz-usernstools.conf.usernstools-0123456789ab.tmp", StringComparison.Ordinal));
    }
}
