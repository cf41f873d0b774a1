using UsernsTools.Configuration;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Configuration;

/// <summary>Each program gets its own AppArmor profile name, and a profile attached to another program is never replaced.</summary>
public class AppArmorNameTests
{
    private const string Restrict = "kernel.apparmor_restrict_unprivileged_userns";

    [Fact]
    public void PathsThatDifferOnlyInDotsAndSlashesGetDifferentNames()
    {
        var paths = new[]
        {
            "/opt/a.b/c", "/opt/a/b.c", "/opt/a.b.c", "/opt/a/b/c", "/a./b", "/a/.b", "/a_/b", "/a/_b", "/a._b", "/a_.b", "/a__b", "/a/__b",
            "/a..b", "/a/b_", "/a_/.b", "/a/_.b",
        };

        var names = paths.Distinct(StringComparer.Ordinal).Select(AppArmorProfileWriter.ProfileName).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("usernstools-usr.bin.bwrap", AppArmorProfileWriter.ProfileName("/usr/bin/bwrap"));
    }

    [Fact]
    public async Task TwoProgramsWhoseOldNamesCollideKeepTwoProfiles()
    {
        using var root = Ubuntu().WithFile("/opt/a.b/c", "", mode: 0x1ED).WithFile("/opt/a/b.c", "", mode: 0x1ED);
        var context = root.Context() with { LoadsProfiles = true, Runner = new FakeProcessRunner(_ => FakeProcessRunner.Exited(0)) };

        await Remediation.EnableAsync(new EnableRequest { Method = EnableMethod.AppArmorProfile, ProgramPaths = new[] { "/opt/a.b/c" } }, context);
        await Remediation.EnableAsync(new EnableRequest { Method = EnableMethod.AppArmorProfile, ProgramPaths = new[] { "/opt/a/b.c" } }, context);

        var first = root.Text(AppArmorProfileWriter.ProfileFile("/opt/a.b/c"));
        var second = root.Text(AppArmorProfileWriter.ProfileFile("/opt/a/b.c"));
        Assert.Contains(" /opt/a.b/c flags=", first, StringComparison.Ordinal);
        Assert.Contains(" /opt/a/b.c flags=", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileAtTheNameThatAttachesToAnotherProgramIsNotReplaced()
    {
        var file = AppArmorProfileWriter.ProfileFile("/opt/app/run");
        var theirs = "abi <abi/4.0>,\ninclude <tunables/global>\nprofile " + AppArmorProfileWriter.ProfileName("/opt/app/run") + " /opt/other/run flags=(unconfined) {\n  userns,\n}\n";
        using var root = Ubuntu().WithFile("/opt/app/run", "", mode: 0x1ED).WithFile(file, theirs);
        var before = root.Tree();

        var ex = await Assert.ThrowsAsync<UsernsException>(() => Remediation.EnableAsync(
            new EnableRequest { Method = EnableMethod.AppArmorProfile, ProgramPaths = new[] { "/opt/app/run" } },
            root.Context() with { LoadsProfiles = true, Runner = new FakeProcessRunner(_ => FakeProcessRunner.Exited(0)) }));

        Assert.Equal("AppArmorProfileNameTaken", ex.ErrorId);
        Assert.Contains("/opt/other/run", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, root.Tree());
    }

    /// <summary>An Ubuntu 24.04-like root without bwrap: only the programs given get a profile.</summary>
    private static TestRoot Ubuntu() => new TestRoot().WithProc("user.max_user_namespaces", "63000").WithProc(Restrict, "1")
        .WithFile("/sys/module/apparmor/parameters/enabled", "Y\n")
        .WithFile("/usr/sbin/apparmor_parser", "", mode: 0x1ED)
        .WithFile("/sys/kernel/security/apparmor/profiles", "unprivileged_userns (enforce)\n");
}
