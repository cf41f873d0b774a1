using System.Text.Json;
using Xunit;

namespace UsernsTools.Tests.Cli;

/// <summary><c>usernstools status</c> on the real kernel of the test machine, in the situations users meet.</summary>
public class CliLiveTests
{
    private static readonly string[] NobodyWrapper = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups" };

    [KernelFact("unshare", "setpriv", RequiresRoot = true, RequiresUnprivilegedUserns = true)]
    public void RootDiagnosesNobodyByDefault()
    {
        var result = Cli.Run("status", "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal("Available", root.GetProperty("verdict").GetString());
        Assert.Equal("nobody", root.GetProperty("subject").GetProperty("user").GetString());
        Assert.Equal(65534, root.GetProperty("subject").GetProperty("uid").GetInt64());
        var probes = root.GetProperty("probes").EnumerateArray().ToList();
        Assert.Contains(probes, p => p.GetProperty("name").GetString() == "CreateUserNamespace" && p.GetProperty("succeeded").GetBoolean());
        Assert.All(probes, p => Assert.Equal("nobody", p.GetProperty("user").GetString()));
        Assert.EndsWith("/unshare", probes[0].GetProperty("command")[0].GetString(), StringComparison.Ordinal);
    }

    [KernelFact("unshare", RequiresRoot = true, RequiresUnprivilegedUserns = true)]
    public void RootOfANamespaceWithoutNobodySaysItCouldNotSwitchToNobody()
    {
        // Root of a new user namespace that maps only itself: nobody has no id there, so no switch to it can succeed.
        var result = Cli.RunWrapped(new[] { "unshare", "--user", "--map-root-user" }, null, "status", "--json", "--user", "nobody");
        using var json = JsonDocument.Parse(result.Stdout);
        var probes = json.RootElement.GetProperty("probes").EnumerateArray().ToList();
        Assert.NotEmpty(probes);
        Assert.All(probes, p =>
        {
            Assert.Equal("Launch", p.GetProperty("stage").GetString());
            Assert.Equal("EINVAL", p.GetProperty("errno").GetString());
            Assert.EndsWith("/unshare: cannot be started as nobody: Invalid argument", p.GetProperty("message").GetString(), StringComparison.Ordinal);
        });
    }

    [KernelFact("unshare", "setpriv", RequiresRoot = true, RequiresUnprivilegedUserns = true)]
    public void RunningAsNobodyDiagnosesItself()
    {
        var result = Cli.RunWrapped(NobodyWrapper, null, "status", "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var subject = json.RootElement.GetProperty("subject");
        Assert.Equal(65534, subject.GetProperty("uid").GetInt64());
        Assert.True(subject.GetProperty("isCaller").GetBoolean());
        Assert.Equal("Available", json.RootElement.GetProperty("verdict").GetString());
    }

    [KernelFact("unshare", "setpriv", RequiresRoot = true)]
    public void AUserWhoIsNotRootIsToldThatOnlyRootProbesAsAnotherUser()
    {
        // It was a verdict of Limited built from nine launch failures, one Blocking finding blaming the machine.
        foreach (var user in new[] { "daemon", "root" })
        {
            var result = Cli.RunWrapped(NobodyWrapper, null, "status", "--user", user, "--json");

            Assert.True(result.ExitCode == 77, result.Stdout + result.Stderr);
            Assert.Equal("", result.Stdout);
            Assert.Contains($"Only root can run the probes as {user}: run usernstools status as root", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("--no-probe", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("as root or as root", result.Stderr, StringComparison.Ordinal);
        }

        // The settings alone can still be read for another user.
        var settings = Cli.RunWrapped(NobodyWrapper, null, "status", "--user", "daemon", "--no-probe", "--json");
        Assert.True(settings.ExitCode is 0 or 1 or 2, settings.Stdout + settings.Stderr);
        using var json = JsonDocument.Parse(settings.Stdout);
        Assert.Equal("daemon", json.RootElement.GetProperty("subject").GetProperty("user").GetString());
    }

    [KernelFact("unshare")]
    public void NestedNamespaceWithoutUserNamespacesIsUnavailable()
    {
        var result = Cli.RunWrapped(Cli.NoUserNamespaces, null, "status", "--json");
        Assert.Equal(2, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal("Unavailable", root.GetProperty("verdict").GetString());
        var create = root.GetProperty("probes").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "CreateUserNamespace");
        Assert.False(create.GetProperty("succeeded").GetBoolean());
        Assert.Equal("ENOSPC", create.GetProperty("errno").GetString());
        Assert.Equal("Create", create.GetProperty("stage").GetString());
        var finding = root.GetProperty("findings").EnumerateArray().First();
        Assert.Equal("Blocking", finding.GetProperty("severity").GetString());
        Assert.Equal("user.max_user_namespaces", finding.GetProperty("setting").GetString());
        Assert.Equal("0", finding.GetProperty("currentValue").GetString());
        // The value is this namespace's own copy: its root sets it now; no /etc/sysctl.d file applies to it.
        Assert.Equal("usernstools set user.max_user_namespaces 28633 --scope runtime", finding.GetProperty("fixCommand").GetString());
        Assert.Equal("Set-UsernsSetting -Name user.max_user_namespaces -Value 28633 -Scope Runtime", finding.GetProperty("fixCmdlet").GetString());
        Assert.Contains("no file under /etc/sysctl.d applies to it", finding.GetProperty("remediation").GetString(), StringComparison.Ordinal);
    }

    [KernelFact("unshare")]
    public void TextReportStartsWithTheVerdict()
    {
        var result = Cli.RunWrapped(Cli.NoUserNamespaces, null, "status");
        Assert.Equal(2, result.ExitCode);
        var lines = result.Stdout.Split('\n');
        Assert.StartsWith("Verdict: Unavailable", lines[0], StringComparison.Ordinal);
        Assert.Contains("user.max_user_namespaces", result.Stdout, StringComparison.Ordinal);
    }

    [KernelFact("unshare")]
    public void TextStatusSaysWhenOneRunProvedEveryProbe()
    {
        var result = Cli.Run("status", "--user", "root");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Probes: (all proven by one combined run: ", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingUnshareIsAFindingNotACrash()
    {
        // A PATH with only dotnet's folder: no unshare, no setpriv, no bwrap.
        var dotnetDir = Path.GetDirectoryName(Cli.Dotnet)!;
        var result = Cli.RunWrapped(Array.Empty<string>(), dotnetDir, "status", "--json", "--user", "root");
        Assert.True(result.ExitCode is 0 or 1 or 2, result.Stderr);
        Assert.Equal("", result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToList();
        Assert.Contains(findings, id => id!.Contains("Unshare", StringComparison.Ordinal));
        var create = json.RootElement.GetProperty("probes").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "CreateUserNamespace");
        Assert.Equal("Launch", create.GetProperty("stage").GetString());
    }

    [Fact]
    public void ReportRecordedHereIsDiagnosedTheSameFromFile()
    {
        var live = Cli.Run("status", "--json", "--user", "root");
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, live.Stdout);
            var fromFile = Cli.Run("status", "--json", "--from", file);
            Assert.Equal(live.ExitCode, fromFile.ExitCode);
            using var a = JsonDocument.Parse(live.Stdout);
            using var b = JsonDocument.Parse(fromFile.Stdout);
            Assert.Equal(a.RootElement.GetProperty("verdict").GetString(), b.RootElement.GetProperty("verdict").GetString());
            Assert.True(b.RootElement.GetProperty("fromReport").GetBoolean());
            Assert.Equal(
                a.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()),
                b.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
