using UsernsTools.Configuration;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Configuration;

/// <summary>
/// A machine below a root folder: every message names the file where it really is, a root that does not exist is an
/// error rather than an empty machine, and a restore undoes only what it was asked for.
/// </summary>
public class UnderRootTests
{
    private const string Max = "user.max_user_namespaces";
    private const string DropIn = "/etc/sysctl.d/99-zz-usernstools.conf";

    [Fact]
    public async Task ApprovalsNameTheFilesBelowTheRootWhileRecordsKeepTheMachinePaths()
    {
        using var root = new TestRoot().WithProc(Max, "5");
        var asked = new List<PlannedChange>();

        var result = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "0"), root.Context(), c =>
        {
            asked.Add(c);
            return false;
        });

        Assert.Equal(new[] { root.Full(DropIn), root.Full("/proc/sys/user/max_user_namespaces") }, asked.Select(c => c.DisplayTarget));
        Assert.Contains(root.Full(DropIn), asked[0].Action, StringComparison.Ordinal);
        Assert.Equal(new[] { DropIn, "/proc/sys/user/max_user_namespaces" }, result.Changes.Select(c => c.Target));
        Assert.Null(root.Text(DropIn));
    }

    [Fact]
    public async Task AFileThatStillWinsAtBootIsNamedBelowTheRoot()
    {
        using var root = new TestRoot().WithProc(Max, "5").WithFile("/etc/sysctl.conf", "user.max_user_namespaces = 0\n");

        var ex = await Assert.ThrowsAsync<UsernsException>(() => Remediation.SetSettingAsync(new SetSettingRequest(Max, "9"), root.Context()));

        Assert.Equal("PersistedSettingOverridden", ex.ErrorId);
        Assert.Contains(root.Full("/etc/sysctl.conf") + ":1 sets", ex.Message, StringComparison.Ordinal);
        Assert.Contains("over " + root.Full(DropIn), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABackupIsShownWhereItsFileIs()
    {
        using var root = new TestRoot().WithProc(Max, "5");
        await Remediation.SetSettingAsync(new SetSettingRequest(Max, "0"), root.Context());

        var backup = Assert.Single(Remediation.GetBackups(root.Context()));

        Assert.StartsWith(root.Full("/var/lib/usernstools/backups/"), backup.Path, StringComparison.Ordinal);
        Assert.True(File.Exists(backup.Path));
    }

    [Fact]
    public async Task ARootThatDoesNotExistIsRootNotFoundForEveryOperation()
    {
        using var root = new TestRoot();
        var context = root.Context() with { Root = root.Full("/no-such-root") };
        var request = new SetSettingRequest(Max, "0");

        var errors = new List<UsernsException>
        {
            await Assert.ThrowsAsync<UsernsException>(() => Remediation.SetSettingAsync(request, context)),
            await Assert.ThrowsAsync<UsernsException>(() => Remediation.DisableAsync(new DisableRequest(), context)),
            await Assert.ThrowsAsync<UsernsException>(() => Remediation.RestoreAsync(new RestoreRequest { Newest = true }, context)),
            Assert.Throws<UsernsException>(() => Remediation.TestSetting(request, context)),
            Assert.Throws<UsernsException>(() => Remediation.GetBackups(context)),
            Assert.Throws<UsernsException>(() => UsernsEngine.GetSettings(context.Root, null)),
        };

        Assert.All(errors, e => Assert.Equal(("RootNotFound", UsernsErrorCategory.ObjectNotFound), (e.ErrorId, e.Category)));
        Assert.False(Directory.Exists(context.Root));
    }

    [Fact]
    public async Task ARestoreWithoutAnIdOrNewestRestoresNothing()
    {
        using var root = new TestRoot().WithProc(Max, "1");
        var set = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "2"), root.Context());

        var ex = await Assert.ThrowsAsync<UsernsException>(() => Remediation.RestoreAsync(new RestoreRequest(), root.Context()));

        Assert.Equal("NoBackupIdInInput", ex.ErrorId);
        Assert.Equal("2", root.Proc(Max));
        Assert.Equal(BackupState.Complete, Remediation.GetBackups(root.Context(), set.BackupId).Single().State);
    }

    [Fact]
    public void AnUnknownNameAmongSeveralIsReportedAndTheOthersAreRead()
    {
        using var root = new TestRoot().WithProc(Max, "7");
        var unknown = new List<UsernsException>();

        var settings = UsernsEngine.GetSettings(root.Path, new[] { Max, "no.such.setting", "user.max_pid_namespaces" }, unknown.Add);

        Assert.Equal(new[] { Max, "user.max_pid_namespaces" }, settings.Select(s => s.Name));
        var error = Assert.Single(unknown);
        Assert.Equal(("UnknownSetting", "no.such.setting"), (error.ErrorId, error.TargetValue));
    }
}
