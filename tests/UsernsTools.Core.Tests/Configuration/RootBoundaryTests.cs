using UsernsTools.Configuration;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Configuration;

/// <summary>
/// A root folder someone else prepared stays a boundary: a symbolic link anywhere below it, on the way to the
/// runtime value, the drop-in, the journal or the lock, is refused rather than followed, and nothing found below it
/// is ever run. The "outside" of each test is a second temporary folder standing for the rest of the machine.
/// </summary>
public sealed class RootBoundaryTests : IDisposable
{
    private const string Max = "user.max_user_namespaces";
    private const string DropIn = "/etc/sysctl.d/99-zz-usernstools.conf";

    private readonly TestRoot _outside = new();

    public void Dispose() => _outside.Dispose();

    [Fact]
    public async Task ALinkAtTheRuntimeValueIsNeitherWrittenNorReadNorJournaled()
    {
        using var root = new TestRoot();
        _outside.WithFile("/shadow", "root:secret-hash:19000\n");
        Directory.CreateDirectory(root.Full("/proc/sys/user"));
        File.CreateSymbolicLink(root.Full("/proc/sys/user/max_user_namespaces"), _outside.Full("/shadow"));

        var ex = await Assert.ThrowsAsync<UsernsException>(() =>
            Remediation.SetSettingAsync(new SetSettingRequest(Max, "5") { Scope = ChangeScope.Runtime }, root.Context()));

        Assert.Equal("TargetIsSymlink", ex.ErrorId);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
        Assert.Equal("root:secret-hash:19000\n", _outside.Text("/shadow"));
        Assert.Empty(Remediation.GetBackups(root.Context()));
    }

    [Theory]
    [InlineData("/proc")]
    [InlineData("/proc/sys")]
    [InlineData("/proc/sys/user")]
    public async Task ALinkedFolderOnTheWayToTheRuntimeValueIsRefused(string linked)
    {
        using var root = new TestRoot();
        var target = _outside.Full("/t" + "/proc/sys/user/max_user_namespaces"[linked.Length..]);
        _outside.WithFile("/t" + "/proc/sys/user/max_user_namespaces"[linked.Length..], "4\n");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(root.Full(linked))!);
        Directory.CreateSymbolicLink(root.Full(linked), _outside.Full("/t"));

        var ex = await Assert.ThrowsAsync<UsernsException>(() =>
            Remediation.SetSettingAsync(new SetSettingRequest(Max, "5") { Scope = ChangeScope.Runtime }, root.Context()));

        Assert.Equal("TargetIsSymlink", ex.ErrorId);
        Assert.Equal(linked, ex.TargetValue);
        Assert.Equal("4\n", File.ReadAllText(target));
    }

    [Theory]
    [InlineData("/etc")]
    [InlineData("/var")]
    [InlineData("/var/lib")]
    public async Task ALinkedEtcOrVarLibSendsNothingOutside(string linked)
    {
        using var root = new TestRoot().WithProc(Max, "4");
        Directory.CreateDirectory(root.Full("/etc/sysctl.d"));
        Directory.CreateDirectory(_outside.Full("/target/sysctl.d"));
        // The journal folder exists outside too, as whoever planted the link would make it.
        Directory.CreateDirectory(_outside.Full("/target/lib/usernstools"));
        Directory.CreateDirectory(_outside.Full("/target/usernstools"));
        if (Directory.Exists(root.Full(linked)))
        {
            Directory.Delete(root.Full(linked), recursive: true);
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(root.Full(linked))!);
        Directory.CreateSymbolicLink(root.Full(linked), _outside.Full("/target"));
        var outsideBefore = _outside.Tree();

        var ex = await Assert.ThrowsAsync<UsernsException>(() => Remediation.SetSettingAsync(new SetSettingRequest(Max, "5"), root.Context()));

        Assert.Equal("TargetIsSymlink", ex.ErrorId);
        Assert.Equal(linked, ex.TargetValue);
        Assert.Equal(outsideBefore, _outside.Tree());
        Assert.Equal("4", root.Proc(Max));
    }

    [Fact]
    public void ALinkedJournalFolderIsNotListed()
    {
        using var root = new TestRoot();
        _outside.WithFile("/backups/20260101-000000-000-abcdef.json", "{}");
        Directory.CreateDirectory(root.Full("/var/lib"));
        Directory.CreateSymbolicLink(root.Full("/var/lib/usernstools"), _outside.Path);

        var ex = Assert.Throws<UsernsException>(() => Remediation.GetBackups(root.Context()));

        Assert.Equal("TargetIsSymlink", ex.ErrorId);
        Assert.Equal("/var/lib/usernstools", ex.TargetValue);
    }

    [Fact]
    public async Task AnAppArmorLoadBelowARootIsShownAndNotRun()
    {
        var marker = _outside.Full("/parser-ran");
        using var root = new TestRoot().WithProc(Max, "63000").WithProc("kernel.apparmor_restrict_unprivileged_userns", "1")
            .WithFile("/sys/module/apparmor/parameters/enabled", "Y\n")
            .WithFile("/usr/bin/bwrap", "", mode: 0x1ED)
            .WithFile("/usr/sbin/apparmor_parser", "#!/bin/sh\ntouch '" + marker + "'\n", mode: 0x1ED);

        // The production context: the real process runner, nothing set for tests.
        var context = new ConfigurationContext { Root = root.Path };
        var planned = new List<PlannedChange>();
        var warnings = new List<string>();

        var result = await Remediation.EnableAsync(new EnableRequest(), context, c => { planned.Add(c); return true; }, warnings.Add);

        Assert.False(File.Exists(marker));
        Assert.DoesNotContain(planned, c => c.Kind == ChangeKind.AppArmorLoad);
        Assert.NotNull(root.Text("/etc/apparmor.d/usernstools-usr.bin.bwrap"));
        var load = Assert.Single(result.Changes, c => c.Kind == ChangeKind.AppArmorLoad);
        Assert.Equal(ChangeStatus.RequiresManualAction, load.Status);
        Assert.Contains("apparmor_parser -r /etc/apparmor.d/usernstools-usr.bin.bwrap", load.Description, StringComparison.Ordinal);
        Assert.Contains("runs no program found below a root", load.Description, StringComparison.Ordinal);

        // Said once, by the record: a warning saying the same again made two of each under -WhatIf.
        Assert.DoesNotContain(warnings, w => w.Contains("usernstools-usr.bin.bwrap", StringComparison.Ordinal));

        await Remediation.RestoreAsync(new RestoreRequest { Newest = true }, context);

        Assert.False(File.Exists(marker));
        Assert.Null(root.Text("/etc/apparmor.d/usernstools-usr.bin.bwrap"));
    }
}
