using UsernsTools.Configuration;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Configuration;

/// <summary>Errors are one line whatever their input holds, and advise the commands of the front end that asked.</summary>
public class ErrorTextTests
{
    private const string Max = "user.max_user_namespaces";

    [Theory]
    [InlineData("user.max\nforged: line")]
    [InlineData("user.max\u001b[2J\u0007")]
    [InlineData("user.max\r\u0085\u2028\u202e")]
    public async Task InputWithControlCharactersGivesAOneLineMessage(string name)
    {
        using var root = new TestRoot().WithProc(Max, "4");

        var ex = await Assert.ThrowsAsync<UsernsException>(() => Remediation.SetSettingAsync(new SetSettingRequest(name, "1"), root.Context()));

        Assert.Equal("UnknownSetting", ex.ErrorId);
        Assert.DoesNotContain(ex.Message, c => char.IsControl(c) || c is '\u2028' or '\u202e');
        Assert.Contains("user.max\\", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCommandLineIsAdvisedItsOwnCommands()
    {
        using var root = new TestRoot().WithProc(Max, "4").WithFile("/etc/sysctl.conf", "user.max_user_namespaces = 4\n");
        var cli = root.Context() with { Words = FrontEndWords.ForCli(root.Path) };
        var first = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "8") { Scope = ChangeScope.Runtime }, cli);
        await Remediation.SetSettingAsync(new SetSettingRequest(Max, "9") { Scope = ChangeScope.Runtime }, cli);

        var later = await Assert.ThrowsAsync<UsernsException>(() => Remediation.RestoreAsync(new RestoreRequest { BackupId = first.BackupId }, cli));
        var missing = await Assert.ThrowsAsync<UsernsException>(() => Remediation.RestoreAsync(new RestoreRequest { BackupId = "nope" }, cli));
        var overridden = await Assert.ThrowsAsync<UsernsException>(() => Remediation.SetSettingAsync(new SetSettingRequest(Max, "10") { Scope = ChangeScope.Persistent }, cli));

        Assert.Contains($"(usernstools restore ", later.Message, StringComparison.Ordinal);
        Assert.Contains($" --root {root.Path})", later.Message, StringComparison.Ordinal);
        Assert.Contains("(usernstools backups --root ", missing.Message, StringComparison.Ordinal);
        Assert.Contains("--force", overridden.Message, StringComparison.Ordinal);
        foreach (var ex in new[] { later, missing, overridden })
        {
            Assert.DoesNotContain("Restore-UsernsConfiguration", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Get-UsernsBackup", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(" -Force", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EnableAdvisesTheCommandLinesOwnOptions()
    {
        using var root = new TestRoot().WithProc(Max, "4").WithProc("kernel.apparmor_restrict_unprivileged_userns", "1")
            .WithFile("/sys/module/apparmor/parameters/enabled", "Y\n");
        var cli = root.Context() with { Words = FrontEndWords.ForCli(root.Path) };

        var sysctl = Remediation.Preview(state => Planner.PlanEnable(new EnableRequest { Method = EnableMethod.Sysctl }, state), cli);
        var noProgram = Assert.Throws<UsernsException>(() => Remediation.Preview(state => Planner.PlanEnable(new EnableRequest { Method = EnableMethod.AppArmorProfile }, state), cli));

        Assert.Contains(sysctl.Warnings, w => w.Contains("--method apparmor exempts", StringComparison.Ordinal));
        Assert.Contains("no --program was given", noProgram.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(sysctl.Warnings, w => w.Contains("-Method", StringComparison.Ordinal));
    }
}
