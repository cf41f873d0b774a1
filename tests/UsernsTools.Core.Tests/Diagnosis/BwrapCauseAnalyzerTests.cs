using UsernsTools.Configuration;
using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;
using Xunit;

namespace UsernsTools.Tests.Diagnosis;

public class BwrapCauseAnalyzerTests
{
    private static readonly BwrapInstallation s_bwrap = new() { Path = "/usr/bin/bwrap", ResolvedPath = "/usr/bin/bwrap" };

    [Fact]
    public void UidMapDeniedWithTheUbuntuRestrictionIsTheUnprivilegedUsernsProfile()
    {
        var cause = BwrapCauseAnalyzer.Explain(Failed(BwrapErrorKind.UidMapDenied), Ubuntu2404(ContainerKind.None));
        Assert.True(cause.AppArmorProfileFixApplies);
        Assert.Contains("unprivileged_userns", cause.Text, StringComparison.Ordinal);
        Assert.Contains("/usr/bin/bwrap", cause.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameMessageInsideAContainerIsNotTheAppArmorProfile()
    {
        var cause = BwrapCauseAnalyzer.Explain(Failed(BwrapErrorKind.UidMapDenied), Ubuntu2404(ContainerKind.Docker));
        Assert.False(cause.AppArmorProfileFixApplies);
        Assert.Contains("container", cause.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void LoopbackFailureIsHarmlessOnGvisor()
    {
        var facts = new MachineFacts { Environment = new EnvironmentFacts { Gvisor = true } };
        var cause = BwrapCauseAnalyzer.Explain(Failed(BwrapErrorKind.LoopbackSetupDenied), facts);
        Assert.Contains("harmless", cause.Text, StringComparison.Ordinal);
        Assert.False(cause.AppArmorProfileFixApplies);
    }

    [Fact]
    public void LimitExceededWithMaxZeroNamesTheSysctl()
    {
        var facts = new MachineFacts { Settings = new[] { Setting(BwrapCauseAnalyzer.MaxUserNamespaces, "0") } };
        var cause = BwrapCauseAnalyzer.Explain(Failed(BwrapErrorKind.NamespaceLimitExceeded), facts);
        Assert.Contains("user.max_user_namespaces is 0", cause.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void LimitExceededInsideANestedNamespaceSaysWhereTheLimitIs()
    {
        var facts = new MachineFacts
        {
            Settings = new[] { Setting(BwrapCauseAnalyzer.MaxUserNamespaces, "15000") },
            Process = new ProcessFacts { InInitialUserNamespace = false },
        };
        var cause = BwrapCauseAnalyzer.Explain(Failed(BwrapErrorKind.NamespaceLimitExceeded), facts);
        Assert.Contains("parent", cause.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BwrapCauseAnalyzer.UnprivilegedClone, "0", "unprivileged_userns_clone")]
    [InlineData(BwrapCauseAnalyzer.UsernsRestrict, "1", "userns_restrict")]
    public void NoPermissionNamesTheSysctlThatForbidsIt(string name, string value, string expected)
    {
        var facts = new MachineFacts { Settings = new[] { Setting(name, value) } };
        var cause = BwrapCauseAnalyzer.Explain(Failed(BwrapErrorKind.NoPermissionToCreateNamespace), facts);
        Assert.Contains(expected, cause.Text, StringComparison.Ordinal);
        Assert.False(cause.AppArmorProfileFixApplies);
    }

    [Fact]
    public void NoPermissionUnderASeccompFilterBlamesTheFilter()
    {
        var facts = new MachineFacts { Process = new ProcessFacts { Seccomp = 2 } };
        var cause = BwrapCauseAnalyzer.Explain(Failed(BwrapErrorKind.NoPermissionToCreateNamespace), facts);
        Assert.Contains("seccomp", cause.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateDeniedUnderAppArmorIsFixedByAProfile()
    {
        var facts = new MachineFacts { SecurityModules = new SecurityModuleFacts { AppArmorEnabled = true, AppArmorMediatesUserns = true } };
        var cause = BwrapCauseAnalyzer.Explain(Failed(BwrapErrorKind.CreateDeniedBySecurityModule), facts);
        Assert.True(cause.AppArmorProfileFixApplies);
    }

    [Theory]
    [InlineData(BwrapErrorKind.CreateDeniedBySecurityModule)]
    [InlineData(BwrapErrorKind.Unknown)]
    [InlineData(BwrapErrorKind.SetgroupsDenied)]
    public void TheCauseNamesTheDenialCommandOfTheFrontEndThatShowsIt(BwrapErrorKind kind)
    {
        var facts = new MachineFacts();

        var forShells = BwrapCauseAnalyzer.Explain(Failed(kind), facts, FrontEndWords.Cli).Text;
        var forCmdlets = BwrapCauseAnalyzer.Explain(Failed(kind), facts, FrontEndWords.Cmdlets).Text;

        Assert.Contains("usernstools denials", forShells, StringComparison.Ordinal);
        Assert.DoesNotContain("Get-UsernsDenial", forShells, StringComparison.Ordinal);
        Assert.Contains("Get-UsernsDenial", forCmdlets, StringComparison.Ordinal);
    }

    [Fact]
    public void ASuccessHasNoCause()
    {
        var cause = BwrapCauseAnalyzer.Explain(new BwrapProbeResult { Succeeded = true }, Ubuntu2404(ContainerKind.None));
        Assert.Null(cause.Text);
    }

    [Fact]
    public void ARefusedProcfsUnderCoveredProcNamesTheMountsAndTheRuntimesUnmaskOption()
    {
        var facts = new MachineFacts
        {
            Environment = new EnvironmentFacts
            {
                Container = ContainerKind.Podman,
                ContainerEvidence = new[] { "/run/.containerenv" },
                ProcOvermounts = new[] { new ProcOvermount { MountPoint = "/proc/kcore", FileSystemType = "devtmpfs", Source = "devtmpfs", Root = "/null" } },
            },
        };

        var cause = BwrapCauseAnalyzer.Explain(Failed(BwrapErrorKind.ProcMountDenied), facts);

        Assert.Contains("1 mount covers parts of it: /proc/kcore.", cause.Text, StringComparison.Ordinal);
        Assert.Contains("in a Podman container (/run/.containerenv)", cause.Text, StringComparison.Ordinal);
        Assert.Contains("--security-opt unmask=ALL", cause.Text, StringComparison.Ordinal);
        Assert.False(cause.AppArmorProfileFixApplies);
    }

    [Fact]
    public void ARefusedProcfsWithNothingCoveringProcIsAPolicy()
    {
        var facts = new MachineFacts { Environment = new EnvironmentFacts { Container = ContainerKind.Docker, ProcOvermounts = Array.Empty<ProcOvermount>() } };

        var cause = BwrapCauseAnalyzer.Explain(Failed(BwrapErrorKind.ProcMountDenied), facts);

        Assert.Contains("seccomp, AppArmor or SELinux", cause.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("systempaths", cause.Text, StringComparison.Ordinal);
    }

    private static BwrapProbeResult Failed(BwrapErrorKind kind) => new() { ErrorKind = kind, Stage = ProbeStage.Map, Installation = s_bwrap };

    private static MachineFacts Ubuntu2404(ContainerKind container) => new()
    {
        Kernel = new KernelFacts { OsId = "ubuntu", OsVersionId = "24.04" },
        Settings = new[] { Setting(BwrapCauseAnalyzer.ApparmorRestrict, "1") },
        SecurityModules = new SecurityModuleFacts { AppArmorEnabled = true, AppArmorMediatesUserns = true, AppArmorUnconfinedRestrictsUserns = true },
        Environment = new EnvironmentFacts { Container = container },
    };

    private static UsernsSetting Setting(string name, string value) => new() { Name = name, Present = true, RuntimeValue = value };
}
