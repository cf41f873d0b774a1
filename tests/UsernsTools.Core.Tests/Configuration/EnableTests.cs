using UsernsTools.Configuration;
using UsernsTools.Diagnosis;
using UsernsTools.Platform;
using UsernsTools.Tests.Diagnosis;
using Xunit;

namespace UsernsTools.Tests.Configuration;

public class EnableTests
{
    private const string Max = "user.max_user_namespaces";
    private const string Clone = "kernel.unprivileged_userns_clone";
    private const string Restrict = "kernel.apparmor_restrict_unprivileged_userns";
    private const string DropIn = "/etc/sysctl.d/99-zz-usernstools.conf";
    private const string BwrapProfile = "/etc/apparmor.d/usernstools-usr.bin.bwrap";

    /// <summary>An Ubuntu 24.04-like root: AppArmor on, the restriction on, bwrap and apparmor_parser installed.</summary>
    private static TestRoot Ubuntu()
    {
        var root = new TestRoot().WithProc(Max, "63000").WithProc(Restrict, "1")
            .WithFile("/sys/module/apparmor/parameters/enabled", "Y\n")
            .WithFile("/usr/bin/bwrap", "", mode: 0x1ED)
            .WithFile("/usr/sbin/apparmor_parser", "", mode: 0x1ED)
            .WithFile("/sys/kernel/security/apparmor/profiles", "unprivileged_userns (enforce)\n");
        return root;
    }

    [Fact]
    public async Task AutoWritesAndLoadsABwrapProfileWhereAppArmorRestricts()
    {
        using var root = Ubuntu();
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exited(0));

        var result = await Remediation.EnableAsync(new EnableRequest(), root.Context() with { LoadsProfiles = true, Runner = runner });

        Assert.Equal(
            "# Managed by UsernsTools (Enable-UnprivilegedUserns): lets this program create user namespaces\n"
            + "# while Ubuntu's restriction stays on for everything else. Restore-UsernsConfiguration removes it.\n"
            + "abi <abi/4.0>,\ninclude <tunables/global>\n\n"
            + "profile usernstools-usr.bin.bwrap /usr/bin/bwrap flags=(unconfined) {\n  userns,\n\n  include if exists <local/usernstools-usr.bin.bwrap>\n}\n",
            root.Text(BwrapProfile));
        var call = Assert.Single(runner.Calls);
        Assert.Equal(new[] { root.Full("/usr/sbin/apparmor_parser"), "-r", root.Full(BwrapProfile) }, call);
        Assert.Equal("1", root.Proc(Restrict));
        Assert.Null(root.Text(DropIn));
        Assert.Equal(new[] { ChangeKind.AppArmorProfile, ChangeKind.AppArmorLoad }, result.Changes.Select(c => c.Kind));
        Assert.All(result.Changes, c => Assert.Equal(ChangeStatus.Applied, c.Status));
    }

    [Fact]
    public async Task AutoAddsProfilesForGivenProgramsAndRestoreUnloadsBeforeRemoving()
    {
        using var root = Ubuntu().WithFile("/opt/app/bin/app", "", mode: 0x1ED);
        // Whether the profile file existed when each call was made: unload must happen before removal.
        var fileExisted = new List<bool>();
        var runner = new FakeProcessRunner(r =>
        {
            fileExisted.Add(File.Exists(r.Argv[^1]));
            return FakeProcessRunner.Exited(0);
        });
        var context = root.Context() with { LoadsProfiles = true, Runner = runner };
        var before = root.Tree();

        var result = await Remediation.EnableAsync(new EnableRequest { ProgramPaths = new[] { "/opt/app/bin/app" } }, context);
        Assert.NotNull(root.Text("/etc/apparmor.d/usernstools-opt.app.bin.app"));
        Assert.Equal(4, runner.Calls.Count(c => c[1] == "-r") + result.Changes.Count(c => c.Kind == ChangeKind.AppArmorProfile));

        runner.Requests.Clear();
        fileExisted.Clear();
        await Remediation.RestoreAsync(new RestoreRequest { Newest = true }, context);

        Assert.Equal(2, runner.Calls.Count);
        Assert.All(runner.Calls, c => Assert.Equal("-R", c[1]));
        Assert.All(fileExisted, Assert.True);
        Assert.Equal(TestRoot.FilesOutsideJournal(before), TestRoot.FilesOutsideJournal(root.Tree()));
    }

    [Fact]
    public async Task AFailedLoadRollsTheProfileBack()
    {
        using var root = Ubuntu();
        var before = root.Tree();

        var ex = await Assert.ThrowsAsync<UsernsException>(() => Remediation.EnableAsync(new EnableRequest(), root.Context() with { LoadsProfiles = true, Runner = new FakeProcessRunner(_ => FakeProcessRunner.Exited(1, "apparmor_parser: syntax error")) }));

        Assert.Equal("AppArmorLoadFailed", ex.ErrorId);
        Assert.Contains("syntax error", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(root.Full(BwrapProfile)));
        Assert.Equal(BackupState.RolledBack, Assert.Single(Remediation.GetBackups(root.Context())).State);
        Assert.Equal(TestRoot.FilesOutsideJournal(before), TestRoot.FilesOutsideJournal(root.Tree()));
    }

    [Fact]
    public async Task AnExistingProfileAttachingToTheSamePathWithoutUsernsIsAConflict()
    {
        using var root = Ubuntu().WithFile(
            "/etc/apparmor.d/bwrap",
            "abi <abi/4.0>,\ninclude <tunables/global>\n@{exec} = /usr/bin/bwrap\nprofile bwrap @{exec} flags=(attach_disconnected) {\n  capability,\n}\n");
        var before = root.Tree();

        var ex = await Assert.ThrowsAsync<UsernsException>(() => Remediation.EnableAsync(new EnableRequest(), root.Context() with { LoadsProfiles = true, Runner = new FakeProcessRunner(_ => FakeProcessRunner.Exited(0)) }));

        Assert.Equal("AppArmorAttachmentConflict", ex.ErrorId);
        Assert.Equal("/etc/apparmor.d/bwrap", ex.TargetValue);
        Assert.Equal(before, root.Tree());
    }

    [Fact]
    public async Task AnExistingProfileThatGrantsUsernsIsEnough()
    {
        using var root = Ubuntu().WithFile("/etc/apparmor.d/bwrap-userns-restrict", "profile bwrap /usr/bin/bwrap flags=(unconfined) {\n  userns,\n}\n");
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exited(0));

        var result = await Remediation.EnableAsync(new EnableRequest(), root.Context() with { LoadsProfiles = true, Runner = runner });

        Assert.Empty(runner.Calls);
        var change = Assert.Single(result.Changes);
        Assert.Equal(ChangeStatus.AlreadyInDesiredState, change.Status);
        Assert.Equal("/etc/apparmor.d/bwrap-userns-restrict", change.Target);
    }

    [Fact]
    public async Task EnablingTwiceChangesNothingTheSecondTime()
    {
        using var root = Ubuntu();
        var context = root.Context() with { LoadsProfiles = true, Runner = new FakeProcessRunner(_ => FakeProcessRunner.Exited(0)) };
        await Remediation.EnableAsync(new EnableRequest(), context);
        File.AppendAllText(root.Full("/sys/kernel/security/apparmor/profiles"), "usernstools-usr.bin.bwrap (unconfined)\n");

        var again = await Remediation.EnableAsync(new EnableRequest(), context);

        Assert.All(again.Changes, c => Assert.Equal(ChangeStatus.AlreadyInDesiredState, c.Status));
        Assert.Single(Remediation.GetBackups(root.Context()));
    }

    [Fact]
    public void AutoSetsTheDebianSwitchAndRaisesAZeroLimitToTheKernelDefault()
    {
        using var root = new TestRoot().WithProc(Max, "0").WithProc(Clone, "0").WithProc("kernel.threads-max", "127000");

        var plan = Remediation.Preview(s => Planner.PlanEnable(new EnableRequest(), s), root.Context());

        Assert.Equal(
            new[] { (ChangeKind.SysctlDropIn, Clone, "1"), (ChangeKind.SysctlDropIn, Max, "63500"), (ChangeKind.RuntimeSetting, Clone, "1"), (ChangeKind.RuntimeSetting, Max, "63500") },
            plan.Changes.Select(c => (c.Kind, c.Setting!, c.Value!)));
    }

    [Fact]
    public void WithoutAFindingOrThreadsMaxAZeroLimitIsRaisedToTheValueTheDiagnosisRecommends()
    {
        using var root = new TestRoot().WithProc(Max, "0");
        var recommended = new SnapshotBuilder().Setting(Max, "0").Diagnose().Findings.Single(f => f.Id == FindingIds.MaxUserNamespacesZero).RecommendedValue;

        var plan = Remediation.Preview(s => Planner.PlanEnable(new EnableRequest(), s), root.Context());

        Assert.Equal("28633", recommended);
        Assert.All(plan.Changes.Where(c => c.Setting == Max), c => Assert.Equal(recommended, c.Value));
        Assert.Contains(plan.Changes, c => c.Setting == Max);
    }

    [Fact]
    public async Task AutoFollowsFindingsAndTheirRecommendedValue()
    {
        using var root = new TestRoot().WithProc(Max, "0");
        var findings = new[] { new UsernsFinding { Id = FindingIds.MaxUserNamespacesZero, Severity = Severity.Blocking, Setting = Max, RecommendedValue = "15000" } };

        var result = await Remediation.EnableAsync(new EnableRequest { Findings = findings }, root.Context());

        Assert.Equal("15000", root.Proc(Max));
        Assert.Equal("15000", SysctlDropIn.ValueOf(root.Text(DropIn), Max));
        Assert.Equal(2, result.Changes.Count(c => c.Status == ChangeStatus.Applied));
    }

    [Fact]
    public void AutoFixesAPersistedBlockEvenWhenTheRuntimeValueIsFine()
    {
        using var root = new TestRoot().WithProc(Clone, "1").WithFile("/etc/sysctl.d/10-harden.conf", "kernel.unprivileged_userns_clone=0\n");

        var plan = Remediation.Preview(s => Planner.PlanEnable(new EnableRequest(), s), root.Context());

        var change = Assert.Single(plan.Changes);
        Assert.Equal((ChangeKind.SysctlDropIn, Clone, "1", "0"), (change.Kind, change.Setting!, change.Value!, change.Before!));
    }

    [Fact]
    public void TheSysctlMethodLiftsTheAppArmorRestrictionWithAWarning()
    {
        using var root = Ubuntu();

        var plan = Remediation.Preview(s => Planner.PlanEnable(new EnableRequest { Method = EnableMethod.Sysctl }, s), root.Context());

        Assert.Equal(new[] { (ChangeKind.SysctlDropIn, "0"), (ChangeKind.RuntimeSetting, "0") }, plan.Changes.Select(c => (c.Kind, c.Value!)));
        Assert.All(plan.Changes, c => Assert.Equal(Restrict, c.Setting));
        Assert.Contains(plan.Warnings, w => w.Contains("every program", StringComparison.Ordinal));
    }

    [Fact]
    public void ASettingAPipedDiagnosisAsksForThatThisKernelLacksIsAWarningNotAQuietSkip()
    {
        // A report from an Ubuntu machine applied to one whose kernel has no AppArmor switch.
        using var root = new TestRoot().WithProc(Max, "15000");
        var findings = new[] { new UsernsFinding { Id = FindingIds.AppArmorRestrictsUserns, Severity = Severity.Blocking, Setting = Restrict, CurrentValue = "1" } };

        var plan = Remediation.Preview(s => Planner.PlanEnable(new EnableRequest { Method = EnableMethod.Sysctl, Findings = findings }, s), root.Context());

        Assert.Empty(plan.Changes);
        Assert.Contains(plan.Warnings, w => w.StartsWith($"{Restrict} does not exist on this kernel ({root.Full("/proc/sys/kernel/apparmor_restrict_unprivileged_userns")}): ", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Notes, n => n.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void TheRhel7BootSwitchIsExplainedNotApplied()
    {
        using var root = new TestRoot().WithProc(Max, "0").WithFile("/sys/module/user_namespace/parameters/enable", "N\n");

        var plan = Remediation.Preview(s => Planner.PlanEnable(new EnableRequest(), s), root.Context());

        var boot = Assert.Single(plan.Unchanged, c => c.Kind == ChangeKind.BootOption);
        Assert.Equal(ChangeStatus.RequiresManualAction, boot.Status);
        Assert.True(boot.RequiresReboot);
        Assert.Contains("user_namespace.enable=1", boot.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Changes, c => c.Kind == ChangeKind.BootOption);
    }

    [Fact]
    public async Task NothingBlockingMeansNothingWritten()
    {
        using var root = new TestRoot().WithProc(Max, "63000").WithProc(Clone, "1");
        var before = root.Tree();

        var result = await Remediation.EnableAsync(new EnableRequest(), root.Context());

        Assert.Empty(result.Changes);
        Assert.Contains(result.Notes, n => n.Contains("Nothing blocks", StringComparison.Ordinal));
        Assert.Equal(before, root.Tree());
    }

    [Theory]
    [InlineData("relative/bwrap")]
    [InlineData("/usr/bin/with space")]
    [InlineData("/usr/bin/x{a,b}")]
    [InlineData("/usr/bin/../../etc/shadow")]
    [InlineData("/usr/bin/\"quoted\"")]
    public async Task UnsafeProgramPathsAreRejected(string path)
    {
        using var root = Ubuntu();
        var before = root.Tree();

        var ex = await Assert.ThrowsAsync<UsernsException>(() =>
            Remediation.EnableAsync(new EnableRequest { Method = EnableMethod.AppArmorProfile, ProgramPaths = new[] { path } }, root.Context() with { LoadsProfiles = true, Runner = new FakeProcessRunner(_ => FakeProcessRunner.Exited(0)) }));

        Assert.Equal("InvalidProgramPath", ex.ErrorId);
        Assert.Equal(before, root.Tree());
    }

    [Fact]
    public void AProfileNamesTheRealFileBehindASymlink()
    {
        using var root = Ubuntu().WithFile("/opt/tool/real-tool", "", mode: 0x1ED);
        Directory.CreateDirectory(root.Full("/usr/local/bin"));
        File.CreateSymbolicLink(root.Full("/usr/local/bin/tool"), "../../../opt/tool/real-tool");

        var plan = Remediation.Preview(
            s => Planner.PlanEnable(new EnableRequest { Method = EnableMethod.AppArmorProfile, ProgramPaths = new[] { "/usr/local/bin/tool" } }, s),
            root.Context());

        Assert.Contains(plan.Changes, c => c.Target == "/etc/apparmor.d/usernstools-opt.tool.real-tool" && c.After!.Contains(" /opt/tool/real-tool flags=", StringComparison.Ordinal));
    }
}
