using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Probes;
using Xunit;

namespace UsernsTools.Tests.Diagnosis;

/// <summary>AppArmor and SELinux rules on hand-built snapshots.</summary>
public class SecurityModuleRuleTests
{
    private static SnapshotBuilder Ubuntu(params AppArmorProfileFact[] profiles) => new()
    {
        Kernel = new KernelFacts { Release = "6.8.0-51-generic", OsId = "ubuntu", OsVersionId = "24.04", OsIdLike = "debian" },
        SecurityModules = new SecurityModuleFacts { AppArmorEnabled = true, AppArmorMediatesUserns = true, AppArmorProfiles = profiles },
    };

    private static AppArmorProfileFact Profile(string name, string attachment, bool userns) =>
        new() { Name = name, File = "/etc/apparmor.d/" + name, Attachment = attachment, GrantsUserns = userns };

    [Fact]
    public void ComplainModeReplacesTheRestrictionFinding()
    {
        var status = Ubuntu()
            .Setting("kernel.apparmor_restrict_unprivileged_userns", "1")
            .Setting("kernel.apparmor_restrict_unprivileged_userns_complain", "1")
            .Works()
            .Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.AppArmorUsernsComplainMode, finding.Id);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal(Verdict.Available, status.Verdict);
    }

    [Fact]
    public void ForceModeWarnsAndExplainsEacces()
    {
        var status = Ubuntu()
            .Setting("kernel.apparmor_restrict_unprivileged_userns", "1")
            .Setting("kernel.apparmor_restrict_unprivileged_userns_force", "1")
            .CreateFails(Errno.EACCES, "unshare: unshare failed: Permission denied")
            .Diagnose();

        Assert.Equal(new[] { FindingIds.AppArmorRestrictsUserns, FindingIds.AppArmorUsernsForceMode }, status.Findings.Select(f => f.Id));
        Assert.Equal(Severity.Warning, status.Findings[1].Severity);
        Assert.Equal(Verdict.Unavailable, status.Verdict);
    }

    [Fact]
    public void UnconfinedRestrictionIsInfo()
    {
        var finding = Assert.Single(Ubuntu().Setting("kernel.apparmor_restrict_unprivileged_unconfined", "1").Works().Diagnose().Findings);

        Assert.Equal(FindingIds.AppArmorRestrictsUnconfined, finding.Id);
        Assert.Equal(Severity.Info, finding.Severity);
    }

    [Fact]
    public void RestrictionIsIgnoredWhenAppArmorIsOff()
    {
        var b = Ubuntu().Setting("kernel.apparmor_restrict_unprivileged_userns", "1").Works();
        b.SecurityModules = new SecurityModuleFacts { AppArmorEnabled = false };

        Assert.Empty(b.Diagnose().Findings);
    }

    [Fact]
    public void RestrictionWithoutProbesLimits()
    {
        var status = Ubuntu().Setting("kernel.apparmor_restrict_unprivileged_userns", "1").Diagnose();

        Assert.Equal(Severity.Blocking, Assert.Single(status.Findings).Severity);
        Assert.Equal(Verdict.Limited, status.Verdict);
    }

    [Fact]
    public void GlobAttachmentExemptsBwrap()
    {
        var finding = Assert.Single(Ubuntu(Profile("bwrap-userns-restrict", "/{,usr/}bin/bwrap", true))
            .Setting("kernel.apparmor_restrict_unprivileged_userns", "1").Diagnose().Findings);

        Assert.Equal(Severity.Info, finding.Severity);
    }

    [Fact]
    public void ProfileForAnotherProgramDoesNotExemptBwrap()
    {
        var finding = Assert.Single(Ubuntu(Profile("podman", "/usr/bin/podman", true))
            .Setting("kernel.apparmor_restrict_unprivileged_userns", "1").Diagnose().Findings);

        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("Enable-UnprivilegedUserns -Method AppArmorProfile -ProgramPath /usr/bin/bwrap", finding.FixCmdlet);
    }

    [Fact]
    public void FixCommandUsesTheBwrapThatWasFound()
    {
        var finding = Assert.Single(Ubuntu().Tool("bwrap", "/usr/local/bin/bwrap", "0.11.0")
            .Setting("kernel.apparmor_restrict_unprivileged_userns", "1").Diagnose().Findings);

        Assert.Equal("Enable-UnprivilegedUserns -Method AppArmorProfile -ProgramPath /usr/local/bin/bwrap", finding.FixCmdlet);
    }

    [Fact]
    public void BwrapProfileWithoutUsernsBlocksBwrap()
    {
        var finding = Assert.Single(Ubuntu(Profile("bwrap", "/usr/bin/bwrap", false)).Works().Diagnose().Findings);

        Assert.Equal(FindingIds.BwrapAppArmorProfileLacksUserns, finding.Id);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Contains("/etc/apparmor.d/local/bwrap", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoProfilesForOnePathConflict()
    {
        var finding = Assert.Single(Ubuntu(Profile("bwrap", "/usr/bin/bwrap", true), Profile("bwrap-userns-restrict", "/usr/bin/bwrap", true)).Works().Diagnose().Findings);

        Assert.Equal(FindingIds.AppArmorProfilesConflict, finding.Id);
        Assert.Equal(2, finding.Evidence.Count);
    }

    [Fact]
    public void SelinuxEaccesIsBlamedOnSelinuxNotLeftUnexplained()
    {
        var b = new SnapshotBuilder
        {
            Kernel = new KernelFacts { Release = "6.11.4-301.fc41.x86_64", OsId = "fedora", OsVersionId = "41" },
            SecurityModules = new SecurityModuleFacts { SelinuxPresent = true, SelinuxEnforcing = true, SelinuxMediatesUserns = true },
        };
        var status = b.CreateFails(Errno.EACCES, "unshare: unshare failed: Permission denied").Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.SelinuxDeniesUserns, finding.Id);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal(Verdict.Unavailable, status.Verdict);
    }

    [Theory]
    [InlineData(false, Severity.Info)]
    [InlineData(true, Severity.Warning)]
    public void SelinuxMediationWarnsOnlyWhenADenialWasLogged(bool denied, Severity severity)
    {
        var b = new SnapshotBuilder { SecurityModules = new SecurityModuleFacts { SelinuxPresent = true, SelinuxEnforcing = true, SelinuxMediatesUserns = true } };
        if (denied)
        {
            b.Denial("type=AVC msg=audit(1700000000.123:456): avc:  denied  { create } for  pid=4242 comm=\"flatpak\" scontext=system_u:system_r:flatpak_t:s0 tcontext=system_u:system_r:flatpak_t:s0 tclass=user_namespace permissive=0");
        }

        var finding = Assert.Single(b.Works().Diagnose().Findings, f => f.Id == FindingIds.SelinuxMediatesUserns);
        Assert.Equal(severity, finding.Severity);
    }

    [Fact]
    public void SelinuxWithoutTheUserNamespaceClassIsNoFinding()
    {
        var b = new SnapshotBuilder { SecurityModules = new SecurityModuleFacts { SelinuxPresent = true, SelinuxEnforcing = true } };

        Assert.Empty(b.Works().Diagnose().Findings);
    }
}
