using UsernsTools.Configuration;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Configuration;

/// <summary>
/// The drop-in must win under the sysctl precedence rules, and a file that would still beat it must be named.
/// </summary>
public class PrecedenceTests
{
    private const string Max = "user.max_user_namespaces";
    private const string DropIn = "/etc/sysctl.d/99-zz-usernstools.conf";

    [Fact]
    public async Task TheDropInWinsOverCompetingDropIns()
    {
        using var root = new TestRoot()
            .WithProc(Max, "0")
            .WithFile("/usr/lib/sysctl.d/50-default.conf", "user.max_user_namespaces = 0\n")
            .WithFile("/etc/sysctl.d/60-stig.conf", "user.max_user_namespaces = 0\n")
            .WithFile("/etc/sysctl.d/99-sysctl.conf", "user.max_user_namespaces=0\n")
            .WithFile("/run/sysctl.d/99-zz-usernstools.conf", "user.max_user_namespaces = 1\n");
        var context = root.Context();

        var result = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "28000") { Scope = ChangeScope.Persistent }, context);

        Assert.True(result.Changed);
        var winner = SysctlPrecedence.Resolve(root.Path, null)[Max]!.Winner;
        Assert.Equal((DropIn, "28000"), (winner.File, winner.Value));
        Assert.True(Remediation.TestSetting(new SetSettingRequest(Max, "28000") { Scope = ChangeScope.Persistent }, context));
    }

    [Fact]
    public async Task SysctlConfStillWinningStopsAndNamesTheFile()
    {
        using var root = new TestRoot()
            .WithProc(Max, "0")
            .WithFile("/etc/sysctl.conf", "# local\nkernel.printk = 4\nuser.max_user_namespaces = 0\n");
        var before = root.Tree();

        var ex = await Assert.ThrowsAsync<UsernsException>(() =>
            Remediation.SetSettingAsync(new SetSettingRequest(Max, "28000"), root.Context()));

        Assert.Equal("PersistedSettingOverridden", ex.ErrorId);
        Assert.Contains("/etc/sysctl.conf:3", ex.Message, StringComparison.Ordinal);
        Assert.Equal("/etc/sysctl.conf:3", ex.TargetValue);
        Assert.Equal(before, root.Tree());
    }

    [Fact]
    public async Task ForceWritesTheDropInAndWarnsWhichFileStillWins()
    {
        using var root = new TestRoot()
            .WithProc(Max, "0")
            .WithFile("/etc/sysctl.d/zz-late.conf", "user.max_user_namespaces = 0\n");
        var warnings = new List<string>();

        var result = await Remediation.SetSettingAsync(
            new SetSettingRequest(Max, "28000") { Force = true }, root.Context(), warn: warnings.Add);

        Assert.Equal("28000", root.Proc(Max));
        Assert.Equal("28000", SysctlDropIn.ValueOf(root.Text(DropIn), Max));
        Assert.Contains(warnings.Concat(result.Warnings), w => w.Contains("/etc/sysctl.d/zz-late.conf:1", StringComparison.Ordinal));
    }

    [Fact]
    public void AValueInForceFromAnotherFileCountsAsInForce()
    {
        using var root = new TestRoot()
            .WithProc(Max, "0")
            .WithFile("/usr/lib/sysctl.d/50-hardening.conf", "user.max_user_namespaces = 0\n");

        var plan = Remediation.Preview(s => Planner.PlanSetting(new SetSettingRequest(Max, "0"), s), root.Context());

        Assert.True(plan.IsEmpty);
        Assert.Contains(plan.Unchanged, c => c.Kind == ChangeKind.SysctlDropIn && c.Target == "/usr/lib/sysctl.d/50-hardening.conf");
    }
}
