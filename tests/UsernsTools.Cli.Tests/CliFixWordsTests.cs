using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace UsernsTools.Tests.Cli;

/// <summary>
/// A shell user is told commands they can run: the command line's findings name <c>usernstools</c> commands, and its
/// JSON carries the cmdlet line beside them for a script that wants PowerShell.
/// </summary>
public partial class CliFixWordsTests
{
    public static TheoryData<string> Reports => new(
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "fixtures"), "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Reports))]
    public void NoFindingTellsAShellUserToRunACmdlet(string report)
    {
        var json = Cli.Run("status", "--json", "--from", Cli.Fixture(report));
        var text = Cli.Run("status", "--from", Cli.Fixture(report));

        using var doc = JsonDocument.Parse(json.Stdout);
        foreach (var finding in doc.RootElement.GetProperty("findings").EnumerateArray())
        {
            foreach (var name in new[] { "explanation", "remediation", "fixCommand" })
            {
                var value = finding.GetProperty(name).GetString() ?? "";
                Assert.False(Cmdlet().IsMatch(value), $"{report} {finding.GetProperty("id").GetString()} {name}: {value}");
            }

            Assert.Equal(finding.GetProperty("fixCommand").ValueKind, finding.GetProperty("fixCmdlet").ValueKind);
        }

        var advice = text.Stdout.Split('\n').Where(l => l.TrimStart().StartsWith("Remediation:", StringComparison.Ordinal) || l.TrimStart().StartsWith("Fix:", StringComparison.Ordinal));
        Assert.All(advice, line => Assert.False(Cmdlet().IsMatch(line), $"{report}: {line}"));
    }

    [Theory]
    [InlineData("ubuntu-24.04-default", "AppArmorRestrictsUserns", "usernstools enable --method apparmor --program /usr/bin/bwrap", "Enable-UnprivilegedUserns -Method AppArmorProfile -ProgramPath /usr/bin/bwrap")]
    [InlineData("debian-10", "UnprivilegedUsernsCloneDisabled", "usernstools set kernel.unprivileged_userns_clone 1", "Set-UsernsSetting -Name kernel.unprivileged_userns_clone -Value 1 -Scope Runtime,Persistent")]
    [InlineData("docker-nested-own-limit", "NestingLimitReached", "usernstools set user.max_user_namespaces 28633 --scope runtime", "Set-UsernsSetting -Name user.max_user_namespaces -Value 28633 -Scope Runtime")]
    public void EachFindingCarriesItsFixForBothFrontEnds(string report, string id, string command, string cmdlet)
    {
        var json = Cli.Run("status", "--json", "--from", Cli.Fixture(report + ".json"));
        var text = Cli.Run("status", "--from", Cli.Fixture(report + ".json"));

        using var doc = JsonDocument.Parse(json.Stdout);
        var finding = doc.RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetString() == id);
        Assert.Equal(command, finding.GetProperty("fixCommand").GetString());
        Assert.Equal(cmdlet, finding.GetProperty("fixCmdlet").GetString());
        Assert.Contains("    Fix: " + command, text.Stdout.Split('\n'));
    }

    [Fact]
    public void TheRemediationNamesTheCommandLineAndTheFileEnableWrites()
    {
        var json = Cli.Run("status", "--json", "--from", Cli.Fixture("ubuntu-24.04-default.json"));

        using var doc = JsonDocument.Parse(json.Stdout);
        var remediation = doc.RootElement.GetProperty("findings").EnumerateArray()
            .Single(f => f.GetProperty("id").GetString() == "AppArmorRestrictsUserns").GetProperty("remediation").GetString()!;
        Assert.Contains("`usernstools enable --method apparmor --program /usr/bin/bwrap` writes /etc/apparmor.d/usernstools-usr.bin.bwrap", remediation, StringComparison.Ordinal);
        Assert.Contains("pass its path to --program", remediation, StringComparison.Ordinal);
        Assert.Contains("`usernstools set kernel.apparmor_restrict_unprivileged_userns 0`", remediation, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\b(Get|Set|Test|Enable|Disable|Restore|Invoke)-(Userns|Unprivileged|Bwrap|UserNamespace|Namespaced|Subordinate|Process)\w*|(?<![-\w])-(NoProbe|ProgramPath|Method|Scope|User|MountProc)\b")]
    private static partial Regex Cmdlet();
}
