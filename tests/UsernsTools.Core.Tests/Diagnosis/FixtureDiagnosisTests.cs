using System.Text.Json;
using System.Text.Json.Nodes;
using UsernsTools.Configuration;
using UsernsTools.Diagnosis;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;
using UsernsTools.Serialization;
using Xunit;

namespace UsernsTools.Tests.Diagnosis;

/// <summary>Every recorded machine gets the verdict and exactly the findings its facts call for.</summary>
public class FixtureDiagnosisTests
{
    public static TheoryData<string, Verdict, string[]> Expected => new()
    {
        { "ubuntu-24.04-default", Verdict.Limited, [FindingIds.AppArmorRestrictsUserns] },
        { "ubuntu-24.04-bwrap-profile", Verdict.Limited, [FindingIds.AppArmorRestrictsUserns] },
        { "ubuntu-24.04-bwrap-uid-map", Verdict.Limited, [FindingIds.AppArmorRestrictsUserns, FindingIds.BwrapUidMapDenied] },
        { "docker-bwrap", Verdict.Unavailable, [FindingIds.SeccompBlocksUserns, FindingIds.NewuidmapMissing] },
        { "debian-10", Verdict.Unavailable, [FindingIds.UnprivilegedUsernsCloneDisabled, FindingIds.UnshareTooOld] },
        { "debian-12-healthy", Verdict.Available, [] },
        { "debian-12-no-probe", Verdict.Available, [] },
        { "rhel-7.9", Verdict.Unavailable, [FindingIds.MaxUserNamespacesZero, FindingIds.SubordinateIdsMissing, FindingIds.UnshareTooOld, FindingIds.BwrapNotInstalled] },
        { "rhel-7.2", Verdict.Unavailable, [FindingIds.UserNamespaceModuleDisabled, FindingIds.SubordinateIdsMissing, FindingIds.UnshareTooOld, FindingIds.BwrapNotInstalled, FindingIds.NewuidmapMissing] },
        { "arch-linux-hardened", Verdict.Unavailable, [FindingIds.UnprivilegedUsernsCloneDisabled] },
        { "docker-ubuntu-masked-proc", Verdict.Limited, [FindingIds.BwrapProcMountDenied, FindingIds.NewuidmapMissing] },
        { "docker-ubuntu-24.04-apparmor-host", Verdict.Unavailable, [FindingIds.SeccompBlocksUserns, FindingIds.AppArmorRestrictsUserns, FindingIds.BwrapNotInstalled, FindingIds.NewuidmapMissing] },
        { "docker-default-seccomp", Verdict.Unavailable, [FindingIds.SeccompBlocksUserns, FindingIds.BwrapNotInstalled, FindingIds.NewuidmapMissing] },
        { "wsl1", Verdict.Unavailable, [FindingIds.Wsl1NoUserNamespaces, FindingIds.BwrapNotInstalled, FindingIds.NewuidmapMissing, FindingIds.UnshareTooOld] },
        { "docker-nested-own-limit", Verdict.Unavailable, [FindingIds.NestingLimitReached, FindingIds.InsideUserNamespace] },
        { "nesting-depth-32", Verdict.Unavailable, [FindingIds.NestingLimitReached, FindingIds.InsideUserNamespace] },
        { "subuid-missing", Verdict.Available, [FindingIds.SubordinateIdsMissing] },
        { "subuid-overlapping", Verdict.Available, [FindingIds.SubordinateIdsOverlap] },
        { "subuid-contains-own-id", Verdict.Available, [FindingIds.SubordinateIdsContainOwnId] },
        { "fedora-selinux-enforcing", Verdict.Available, [FindingIds.SelinuxMediatesUserns] },
        { "alt-linux-userns-restrict", Verdict.Unavailable, [FindingIds.UsernsRestrictEnabled] },
        { "subuid-taken-ranges", Verdict.Available, [FindingIds.SubordinateIdsMissing] },
        { "podman-nested-small-map", Verdict.Available, [FindingIds.SubordinateIdsMissing, FindingIds.InsideUserNamespace] },
        { "centos-7-setuid-bwrap", Verdict.Unavailable, [FindingIds.MaxUserNamespacesZero, FindingIds.SetuidBwrap, FindingIds.SubordinateIdsMissing, FindingIds.UnshareTooOld] },
        { "debian-11-statoverride-bwrap", Verdict.Unavailable, [FindingIds.UnprivilegedUsernsCloneDisabled, FindingIds.SetuidBwrap, FindingIds.UsernsDisabledByHardening] },
        { "ubuntu-24.04-chromium-denied", Verdict.Limited, [FindingIds.AppArmorRestrictsUserns] },
        { "ubuntu-24.04-runtime-unrestricted", Verdict.Available, [FindingIds.PersistedValueDiffers] },
        { "rhel-9-stig-hardened", Verdict.Unavailable, [FindingIds.MaxUserNamespacesZero, FindingIds.SettingShadowed, FindingIds.UsernsDisabledByHardening] },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void FixtureGetsItsVerdictAndExactlyItsFindings(string fixture, Verdict verdict, string[] ids)
    {
        var status = Diagnoser.Diagnose(Fixtures.Load(fixture), fromReport: true);

        Assert.Equal(ids, status.Findings.Select(f => f.Id).ToArray());
        Assert.Equal(verdict, status.Verdict);
        Assert.True(status.FromReport);
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public void OnlyAProbeThatTestedCreationMakesTheVerdictProbed(string fixture, Verdict verdict, string[] ids)
    {
        _ = verdict;
        _ = ids;
        var snapshot = Fixtures.Load(fixture);
        var status = Diagnoser.Diagnose(snapshot, fromReport: true);

        var tested = snapshot.Probes.Any(p => p.Name == ProbeNames.CreateUserNamespace && p.Stage != ProbeStage.Launch);
        Assert.Equal(tested, status.Probed);
        Assert.Equal(!tested, status.Notes.Any(n => n.Contains("the verdict rests on the settings alone", StringComparison.Ordinal)));
    }

    [Fact]
    public void ReportWithoutProbesSaysTheVerdictRestsOnSettingsAlone()
    {
        var status = Diagnoser.Diagnose(Fixtures.Load("debian-12-no-probe"), fromReport: true);

        Assert.Equal(Verdict.Available, status.Verdict);
        Assert.False(status.Probed);
        Assert.StartsWith("The report holds no probe results (it was recorded without probes): the verdict rests on the settings alone.", status.Notes[0], StringComparison.Ordinal);
        Assert.Contains("was not tested", status.Notes[0], StringComparison.Ordinal);
    }

    [Fact]
    public void InADockerContainerTheSeccompFilterNotTheHostsAppArmorIsTheCause()
    {
        var findings = Diagnoser.Diagnose(Fixtures.Load("docker-ubuntu-24.04-apparmor-host"), fromReport: true).Findings;

        var seccomp = findings[0];
        Assert.Equal(FindingIds.SeccompBlocksUserns, seccomp.Id);
        Assert.Equal(Severity.Blocking, seccomp.Severity);
        Assert.Contains("--security-opt seccomp=/path/to/profile.json", seccomp.Remediation, StringComparison.Ordinal);
        Assert.Contains(seccomp.Evidence, e => e.StartsWith("probe CreateUserNamespace failed at Create with EPERM", StringComparison.Ordinal));

        var apparmor = Assert.Single(findings, f => f.Id == FindingIds.AppArmorRestrictsUserns);
        Assert.Equal(Severity.Info, apparmor.Severity);
        Assert.Null(apparmor.FixCommand);
        Assert.Contains("creation itself failed (EPERM), which this restriction never does: it is not the cause of that failure", apparmor.Explanation, StringComparison.Ordinal);
        Assert.Contains("the value is the host kernel's, read through /proc/sys", apparmor.Explanation, StringComparison.Ordinal);
        Assert.StartsWith("Fix the failure the probes show first.", apparmor.Remediation, StringComparison.Ordinal);
        Assert.Contains("on the host, give the program a profile with `userns,`", apparmor.Remediation, StringComparison.Ordinal);
        Assert.DoesNotContain("Set-UsernsSetting", apparmor.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void NestedNamespaceNamesItsOwnLimitAsTheOneThatBinds()
    {
        var findings = Diagnoser.Diagnose(Fixtures.Load("docker-nested-own-limit"), fromReport: true).Findings;

        var limit = findings[0];
        Assert.Equal(FindingIds.NestingLimitReached, limit.Id);
        Assert.Equal(Severity.Blocking, limit.Severity);
        Assert.Equal("user.max_user_namespaces", limit.Setting);
        Assert.Equal("1", limit.CurrentValue);
        Assert.Contains("this namespace's own user.max_user_namespaces is 1: that is the limit that binds", limit.Explanation, StringComparison.Ordinal);
        Assert.Contains("well before the nesting depth limit of 32 (this is depth 2)", limit.Explanation, StringComparison.Ordinal);
        Assert.StartsWith("The root of this namespace can raise its own limit: `sysctl -w user.max_user_namespaces=28633`", limit.Remediation, StringComparison.Ordinal);
        Assert.Contains("A file under /etc/sysctl.d does not apply to this namespace", limit.Remediation, StringComparison.Ordinal);
        Assert.Equal("Set-UsernsSetting -Name user.max_user_namespaces -Value 28633 -Scope Runtime", limit.FixCmdlet);
        Assert.All(findings, f =>
        {
            Assert.DoesNotContain("cannot be fixed from inside", f.Remediation, StringComparison.Ordinal);
            Assert.DoesNotContain("Persistent", f.Remediation + f.FixCmdlet, StringComparison.Ordinal);
            Assert.DoesNotContain("EPERM", f.Explanation, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void ABlockingFindingTheFailedProbeQuotesComesFirst()
    {
        // kernel.unprivileged_userns_clone=0 and a seccomp filter: the probe failed with ENOSYS, which only the filter gives.
        var status = new SnapshotBuilder()
            .Setting("user.max_user_namespaces", "0")
            .CreateFails(Errno.ENOSYS, "unshare: unshare failed: Function not implemented")
            .Diagnose();

        var blocking = status.Findings.Where(f => f.Severity == Severity.Blocking).Select(f => f.Id).ToList();
        Assert.True(blocking.Count >= 2, string.Join(", ", blocking));
        Assert.Equal(FindingIds.UnexplainedEnosys, blocking[0]);
    }

    [Fact]
    public void EveryFixtureHasAnExpectation()
    {
        var covered = Expected.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        Assert.All(Fixtures.Names(), name => Assert.Contains(name, covered));
        Assert.True(covered.Count >= 17);
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public void FixtureUsesOnlyModelPropertyNames(string fixture, Verdict verdict, string[] ids)
    {
        _ = verdict;
        _ = ids;
        // Unknown names are skipped silently by the reader, so a misspelt fixture would test nothing: compare with a round trip.
        var original = JsonNode.Parse(Fixtures.Text(fixture))!;
        var roundTrip = JsonNode.Parse(JsonSerializer.Serialize(Fixtures.Load(fixture), UsernsJsonContext.Default.UsernsSnapshot))!;
        AssertSameShape(original, roundTrip, "$");
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public void FindingsAreSortedBlockingFirstThenById(string fixture, Verdict verdict, string[] ids)
    {
        _ = verdict;
        _ = ids;
        var snapshot = Fixtures.Load(fixture);
        var findings = Diagnoser.Diagnose(snapshot).Findings;
        var failedProbes = snapshot.Probes.Where(p => !p.Succeeded).Select(Evidence.Of).ToList();
        var sorted = findings
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Severity == Severity.Blocking && f.Evidence.Any(failedProbes.Contains) ? 0 : 1)
            .ThenBy(f => f.Id, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(sorted.Select(f => f.Id), findings.Select(f => f.Id));
        Assert.All(findings, f =>
        {
            Assert.NotEmpty(f.Evidence);
            Assert.False(string.IsNullOrWhiteSpace(f.Explanation));
            Assert.False(string.IsNullOrWhiteSpace(f.Remediation));
        });
    }

    [Fact]
    public void Ubuntu2404RestrictionBlocksAndPointsToTheBwrapProfileFirst()
    {
        var finding = Single("ubuntu-24.04-default", FindingIds.AppArmorRestrictsUserns);

        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("kernel.apparmor_restrict_unprivileged_userns", finding.Setting);
        Assert.Equal("1", finding.CurrentValue);
        // The fix is a profile (FixCmdlet), not a value of the setting: recommending the value in force, 1, read as a contradiction.
        Assert.Null(finding.RecommendedValue);
        Assert.Equal("Enable-UnprivilegedUserns -Method AppArmorProfile -ProgramPath /usr/bin/bwrap", finding.FixCmdlet);
        Assert.Contains(finding.Evidence, e => e.Contains("unshare: write failed /proc/self/uid_map: Operation not permitted", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public void NoFindingRecommendsTheValueAlreadyInForce(string fixture, Verdict verdict, string[] ids)
    {
        _ = verdict;
        _ = ids;
        var findings = Diagnoser.Diagnose(Fixtures.Load(fixture)).Findings;
        Assert.All(findings, f => Assert.False(
            f.RecommendedValue is not null && string.Equals(f.RecommendedValue, f.CurrentValue, StringComparison.Ordinal),
            $"{f.Id}: current {f.CurrentValue}, recommended {f.RecommendedValue}"));
    }

    [Fact]
    public void Ubuntu2404ProfileFixComesBeforeTheGlobalSysctl()
    {
        var remediation = Single("ubuntu-24.04-default", FindingIds.AppArmorRestrictsUserns).Remediation;

        var profile = remediation.IndexOf("-Method AppArmorProfile", StringComparison.Ordinal);
        var sysctl = remediation.IndexOf("kernel.apparmor_restrict_unprivileged_userns -Value 0", StringComparison.Ordinal);
        Assert.True(profile >= 0, remediation);
        Assert.True(sysctl > profile, remediation);
        Assert.Contains("last resort", remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void Ubuntu2404WithBwrapProfileTreatsBwrapAsExempt()
    {
        var finding = Single("ubuntu-24.04-bwrap-profile", FindingIds.AppArmorRestrictsUserns);

        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Null(finding.FixCommand);
        Assert.Contains(finding.Evidence, e => e.Contains("/etc/apparmor.d/bwrap", StringComparison.Ordinal));
        Assert.Contains("exempt", finding.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("debian-10", "Debian 10 and older ship 0")]
    [InlineData("arch-linux-hardened", "linux-hardened")]
    public void UnprivilegedCloneZeroIsBlockingWithTheSysctlFix(string fixture, string distributionNote)
    {
        var finding = Single(fixture, FindingIds.UnprivilegedUsernsCloneDisabled);

        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("kernel.unprivileged_userns_clone", finding.Setting);
        Assert.Equal("0", finding.CurrentValue);
        Assert.Equal("1", finding.RecommendedValue);
        Assert.Equal("Set-UsernsSetting -Name kernel.unprivileged_userns_clone -Value 1 -Scope Runtime,Persistent", finding.FixCmdlet);
        Assert.Contains(finding.Evidence, e => e.Contains("unshare: unshare failed: Operation not permitted", StringComparison.Ordinal));
        Assert.Contains(distributionNote, finding.Explanation + finding.Remediation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rhel-7.9", "Red Hat documents")]
    [InlineData("rhel-9-stig-hardened", "SV-257816")]
    public void MaxUserNamespacesZeroIsBlockingWithARaise(string fixture, string distributionNote)
    {
        var finding = Single(fixture, FindingIds.MaxUserNamespacesZero);

        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("user.max_user_namespaces", finding.Setting);
        Assert.Equal("0", finding.CurrentValue);
        Assert.Equal("28633", finding.RecommendedValue);
        Assert.Equal("Set-UsernsSetting -Name user.max_user_namespaces -Value 28633 -Scope Runtime,Persistent", finding.FixCmdlet);
        Assert.Contains(finding.Evidence, e => e.Contains("No space left on device", StringComparison.Ordinal));
        Assert.Contains(distributionNote, finding.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void StigHostSaysTheZeroIsOnPurposeAndWhichFileWins()
    {
        var hardening = Single("rhel-9-stig-hardened", FindingIds.UsernsDisabledByHardening);
        Assert.Equal(Severity.Info, hardening.Severity);
        Assert.Contains("/etc/sysctl.conf:12", hardening.Explanation, StringComparison.Ordinal);

        var shadowed = Single("rhel-9-stig-hardened", FindingIds.SettingShadowed);
        Assert.Equal(Severity.Info, shadowed.Severity);
        Assert.Equal("user.max_user_namespaces", shadowed.Setting);
        Assert.StartsWith("/etc/sysctl.conf:12:", shadowed.Evidence[0], StringComparison.Ordinal);
        Assert.EndsWith("(wins)", shadowed.Evidence[0], StringComparison.Ordinal);
        Assert.Contains(shadowed.Evidence, e => e.Contains("/etc/sysctl.d/99-stig.conf:31", StringComparison.Ordinal));
    }

    [Fact]
    public void Rhel72SwitchIsABootOptionWithoutCmdlet()
    {
        var finding = Single("rhel-7.2", FindingIds.UserNamespaceModuleDisabled);

        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("user_namespace.enable", finding.Setting);
        Assert.Equal("N", finding.CurrentValue);
        Assert.Equal("Y", finding.RecommendedValue);
        Assert.Null(finding.FixCommand);
        Assert.Contains("boot option", finding.Explanation, StringComparison.Ordinal);
        Assert.Contains("grubby --update-kernel=ALL --args=\"user_namespace.enable=1\"", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains(finding.Evidence, e => e.Contains("Invalid argument", StringComparison.Ordinal));
    }

    [Fact]
    public void Rhel7OldUnshareExplainsTheMappingProbeThatCouldNotRun()
    {
        var finding = Single("rhel-7.9", FindingIds.UnshareTooOld);

        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("2.23.2", finding.CurrentValue);
        Assert.Contains(finding.Evidence, e => e.Contains("unrecognized option '--map-root-user'", StringComparison.Ordinal));
    }

    [Fact]
    public void DockerSeccompNamesTheSecurityOptAndNotPrivilegedFirst()
    {
        var finding = Single("docker-default-seccomp", FindingIds.SeccompBlocksUserns);

        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Null(finding.FixCommand);
        Assert.Contains(finding.Evidence, e => e.Contains("/.dockerenv", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, e => e.Contains("Seccomp: 2", StringComparison.Ordinal));
        var seccompOpt = finding.Remediation.IndexOf("--security-opt seccomp=", StringComparison.Ordinal);
        var privileged = finding.Remediation.IndexOf("--privileged", StringComparison.Ordinal);
        Assert.True(seccompOpt >= 0 && privileged > seccompOpt, finding.Remediation);
    }

    [Fact]
    public void Wsl1PointsToWsl2()
    {
        var finding = Single("wsl1", FindingIds.Wsl1NoUserNamespaces);

        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Contains("wsl --set-version", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains(finding.Evidence, e => e.Contains("Invalid argument", StringComparison.Ordinal));
    }

    [Fact]
    public void NestingDepthBlamesDepthOrParentLimitNotThisLimit()
    {
        var finding = Single("nesting-depth-32", FindingIds.NestingLimitReached);

        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Null(finding.FixCommand);
        Assert.Contains("32", finding.Explanation, StringComparison.Ordinal);
        Assert.Contains("parent", finding.Explanation, StringComparison.Ordinal);
        Assert.Contains(finding.Evidence, e => e.Contains("user.max_user_namespaces = 2147483647", StringComparison.Ordinal));
    }

    [Fact]
    public void HealthyFedoraWithSelinuxEnforcingGetsNoWarning()
    {
        var status = Diagnoser.Diagnose(Fixtures.Load("fedora-selinux-enforcing"), fromReport: true);
        var finding = Single("fedora-selinux-enforcing", FindingIds.SelinuxMediatesUserns);

        Assert.Equal(Verdict.Available, status.Verdict);
        Assert.All(status.Findings, f => Assert.Equal(Severity.Info, f.Severity));
        Assert.Contains("audit2allow", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("permissive", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSuggestedSubordinateRangeIsOneNoLineHolds()
    {
        // runner has 100000:65536, deploy 165536:65536, backup 296608:65536: the first free block is 231072.
        var finding = Single("subuid-taken-ranges", FindingIds.SubordinateIdsMissing);

        Assert.Equal("65536 ids, e.g. 231072:65536", finding.RecommendedValue);
        Assert.Contains("`usermod --add-subuids 231072-296607 --add-subgids 231072-296607 ci`", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("append `ci:231072:65536` to /etc/subuid and /etc/subgid", finding.Remediation, StringComparison.Ordinal);
        Assert.DoesNotContain("100000", finding.Remediation + finding.RecommendedValue, StringComparison.Ordinal);
    }

    [Fact]
    public void InANestedNamespaceNoRangeIsSuggestedThatItsOwnMapCannotHold()
    {
        // A rootless Podman container maps 0 -> 1000 and 1..65536 -> 100000..: ids from 100000 up do not exist in it.
        var finding = Single("podman-nested-small-map", FindingIds.SubordinateIdsMissing);

        Assert.Null(finding.RecommendedValue);
        Assert.StartsWith("This user namespace maps only 65537 ids (/proc/self/uid_map: 0 1000 1 1 100000 65536), too few for a range of 65536", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("give the namespace a larger uid and gid map where it is created", finding.Remediation, StringComparison.Ordinal);
        Assert.DoesNotContain("usermod --add-subuids", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void Centos7SetuidBwrapFromThePackageIsNotFixedByReinstallingIt()
    {
        var findings = Diagnoser.Diagnose(Fixtures.Load("centos-7-setuid-bwrap"), fromReport: true).Findings;

        var setuid = Assert.Single(findings, f => f.Id == FindingIds.SetuidBwrap);
        Assert.StartsWith("The bubblewrap package of CentOS Linux 7 (Core) installs bwrap setuid itself", setuid.Remediation, StringComparison.Ordinal);
        Assert.Contains("reinstalling it puts the bit back", setuid.Remediation, StringComparison.Ordinal);
        Assert.DoesNotContain("reinstall bubblewrap", setuid.Remediation, StringComparison.Ordinal);

        // The only bwrap is the setuid one: no finding sends the reader to it.
        var unshare = Assert.Single(findings, f => f.Id == FindingIds.UnshareTooOld);
        Assert.DoesNotContain("Use bwrap", unshare.Remediation, StringComparison.Ordinal);
        Assert.Contains("the bwrap here is privileged", unshare.Remediation, StringComparison.Ordinal);
        Assert.All(findings, f => Assert.DoesNotContain("dnf ", f.Remediation, StringComparison.Ordinal));
    }

    [Fact]
    public void AStatOverrideSetuidBwrapIsUndoneWithDpkgStatOverride()
    {
        var findings = Diagnoser.Diagnose(Fixtures.Load("debian-11-statoverride-bwrap"), fromReport: true).Findings;

        var setuid = Assert.Single(findings, f => f.Id == FindingIds.SetuidBwrap);
        Assert.Contains("/var/lib/dpkg/statoverride: root root 4755 /usr/bin/bwrap", setuid.Evidence);
        Assert.Contains("run `dpkg-statoverride --remove /usr/bin/bwrap` and then `chmod u-s /usr/bin/bwrap`", setuid.Remediation, StringComparison.Ordinal);
        Assert.Contains("a reinstall keeps it", setuid.Remediation, StringComparison.Ordinal);
        Assert.DoesNotContain("apt-get install --reinstall", setuid.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void APackagedFileThatSortsAfterTheDropInIsOverriddenFromEtcNeverEdited()
    {
        var findings = Diagnoser.Diagnose(Fixtures.Load("debian-11-statoverride-bwrap"), fromReport: true).Findings;

        var clone = Assert.Single(findings, f => f.Id == FindingIds.UnprivilegedUsernsCloneDisabled);
        Assert.Contains(
            "/usr/lib/sysctl.d/99-zzz-hardening.conf:3 sets kernel.unprivileged_userns_clone = 0 and its name sorts after 99-zz-usernstools.conf, so it wins at boot and would undo the change at the next boot. "
            + "First override /usr/lib/sysctl.d/99-zzz-hardening.conf with a file of the same name in /etc/sysctl.d (/etc/sysctl.d/99-zzz-hardening.conf, a copy without that line)",
            clone.Remediation,
            StringComparison.Ordinal);
        var hardening = Assert.Single(findings, f => f.Id == FindingIds.UsernsDisabledByHardening);
        Assert.Contains("override /usr/lib/sysctl.d/99-zzz-hardening.conf with a file of the same name in /etc/sysctl.d", hardening.Remediation, StringComparison.Ordinal);
        Assert.All(findings, f =>
        {
            Assert.DoesNotContain("change that line in /usr/lib", f.Remediation, StringComparison.Ordinal);
            Assert.DoesNotContain("/usr/lib/sysctl.d/99-zzz-hardening.conf:3 itself", f.Remediation, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("/etc/sysctl.d/99-foo.conf:1", "/etc/sysctl.d/99-foo.conf:1 also sets kernel.unprivileged_userns_clone = 0, but 99-zz-usernstools.conf sorts after it and wins at boot; change or remove that line so the files agree.")]
    [InlineData("/usr/lib/sysctl.d/50-default.conf:7", "but 99-zz-usernstools.conf sorts after it and wins at boot; /usr/lib/sysctl.d/50-default.conf belongs to a package: leave it as it is.")]
    [InlineData("/etc/sysctl.d/99-zzz-local.conf:2", "/etc/sysctl.d/99-zzz-local.conf:2 sets kernel.unprivileged_userns_clone = 0 and its name sorts after 99-zz-usernstools.conf, so it wins at boot and would undo the change at the next boot. First change that line in /etc/sysctl.d/99-zzz-local.conf")]
    [InlineData("/etc/sysctl.conf:4", "`sysctl --system` applies /etc/sysctl.conf after every file under /etc/sysctl.d, so it would put 0 back: change that line first")]
    public void WhatWinsAtBootIsSaidByFileOrder(string source, string expected)
    {
        var finding = Assert.Single(
            new SnapshotBuilder().Setting("kernel.unprivileged_userns_clone", "0", "0", source).CreateFails(Errno.EPERM, "unshare: unshare failed: Operation not permitted").Diagnose().Findings,
            f => f.Id == FindingIds.UnprivilegedUsernsCloneDisabled);

        Assert.Contains(expected, finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void AProgramTheKernelLogShowsRestrictedGetsItsOwnProfileToo()
    {
        var finding = Single("ubuntu-24.04-chromium-denied", FindingIds.AppArmorRestrictsUserns);

        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal(new[] { "/usr/bin/bwrap", "/opt/google/chrome/chrome" }, finding.ProgramPaths);
        Assert.Equal("Enable-UnprivilegedUserns -Method AppArmorProfile -ProgramPath /usr/bin/bwrap,/opt/google/chrome/chrome", finding.FixCmdlet);
        Assert.Equal("usernstools enable --method apparmor --program /usr/bin/bwrap --program /opt/google/chrome/chrome", finding.FixCommand);
        Assert.Contains("The kernel log shows the restriction hitting /opt/google/chrome/chrome too (a browser then reports `No usable sandbox!`)", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains(finding.Evidence, e => e.Contains("comm=\"chrome\"", StringComparison.Ordinal) && e.Contains("execpath=\"/opt/google/chrome/chrome\"", StringComparison.Ordinal));

        // The per-program fix comes before the global switch.
        Assert.True(finding.Remediation.IndexOf("/opt/google/chrome/chrome", StringComparison.Ordinal) < finding.Remediation.IndexOf("-Value 0", StringComparison.Ordinal));
    }

    [Fact]
    public void ARuntimeLiftTheNextBootUndoesIsWarnedWithTheProfileFirst()
    {
        var status = Diagnoser.Diagnose(Fixtures.Load("ubuntu-24.04-runtime-unrestricted"), fromReport: true);
        var finding = Assert.Single(status.Findings);

        Assert.Equal(FindingIds.PersistedValueDiffers, finding.Id);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("but /etc/sysctl.d/60-apparmor-namespace.conf:2 sets 1 at boot: the next boot turns it back on", finding.Explanation, StringComparison.Ordinal);
        Assert.StartsWith("Least privilege first: keep the restriction and give the programs that need user namespaces their own profile", finding.Remediation, StringComparison.Ordinal);
        Assert.Equal("Enable-UnprivilegedUserns -Method AppArmorProfile -ProgramPath /usr/bin/bwrap,/opt/google/chrome/chrome", finding.FixCmdlet);
        var profile = finding.Remediation.IndexOf("Enable-UnprivilegedUserns -Method AppArmorProfile", StringComparison.Ordinal);
        var persist = finding.Remediation.IndexOf("Set-UsernsSetting -Name kernel.apparmor_restrict_unprivileged_userns -Value 0 -Scope Persistent", StringComparison.Ordinal);
        Assert.True(profile >= 0 && persist > profile, finding.Remediation);
    }

    [Fact]
    public void AnyLiftThatBootUndoesIsWarned()
    {
        var finding = Assert.Single(
            new SnapshotBuilder().Setting("kernel.unprivileged_userns_clone", "1", "0", "/etc/sysctl.d/10-harden.conf:1").Works().Diagnose().Findings,
            f => f.Id == FindingIds.PersistedValueDiffers);

        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("the next boot undoes the change", finding.Explanation, StringComparison.Ordinal);
        Assert.Equal("Set-UsernsSetting -Name kernel.unprivileged_userns_clone -Value 1 -Scope Persistent", finding.FixCmdlet);
    }

    [Fact]
    public void AValueAlreadyInForceIsNoRecommendation()
    {
        var finding = new UsernsFinding { Id = FindingIds.MaxUserNamespacesLow, Setting = "user.max_user_namespaces", CurrentValue = "28633", RecommendedValue = "28633" };
        var other = new UsernsFinding { Id = FindingIds.MaxUserNamespacesLow, Setting = "user.max_user_namespaces", CurrentValue = "500", RecommendedValue = "28633" };

        Assert.Null(Diagnoser.WithoutRecommendationInForce(finding).RecommendedValue);
        Assert.Equal("28633", Diagnoser.WithoutRecommendationInForce(other).RecommendedValue);
    }

    [Theory]
    [InlineData("subuid-missing", FindingIds.SubordinateIdsMissing, "usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ci")]
    [InlineData("subuid-overlapping", FindingIds.SubordinateIdsOverlap, "alice")]
    [InlineData("subuid-contains-own-id", FindingIds.SubordinateIdsContainOwnId, "uid 1002")]
    public void SubordinateRangeProblemsAreWarnings(string fixture, string id, string detail)
    {
        var finding = Single(fixture, id);

        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains(detail, string.Join("\n", finding.Evidence) + finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void Ubuntu2404BwrapUidMapIsLimitedWithTheProfileFixForBwrap()
    {
        var status = Diagnoser.Diagnose(Fixtures.Load("ubuntu-24.04-bwrap-uid-map"), fromReport: true);
        var finding = Assert.Single(status.Findings, f => f.Id == FindingIds.BwrapUidMapDenied);

        Assert.Equal(Verdict.Limited, status.Verdict);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("Enable-UnprivilegedUserns -Method AppArmorProfile -ProgramPath /usr/bin/bwrap", finding.FixCmdlet);
        Assert.Contains(finding.Evidence, e => e.Contains("bwrap: setting up uid map: Permission denied", StringComparison.Ordinal));

        // The AppArmor line that caused it is quoted next to the probe, from the recorded kernel log.
        Assert.Contains(finding.Evidence, e => e.StartsWith("journalctl -k: ", StringComparison.Ordinal) && e.Contains("name=\"/proc/4242/uid_map\"", StringComparison.Ordinal));
        var restriction = Assert.Single(status.Findings, f => f.Id == FindingIds.AppArmorRestrictsUserns);
        Assert.Contains(restriction.Evidence, e => e.Contains("apparmor=\"AUDIT\" operation=\"userns_create\"", StringComparison.Ordinal));

        // The status carries what the findings rest on.
        Assert.Equal(4, status.BwrapProbes.Count);
        Assert.Equal(4, status.Denials.Count);
    }

    [Fact]
    public void DockerBwrapMessageBacksTheSeccompFindingAndTheNoteSurvives()
    {
        var status = Diagnoser.Diagnose(Fixtures.Load("docker-bwrap"), fromReport: true);
        var finding = Single("docker-bwrap", FindingIds.SeccompBlocksUserns);

        Assert.Contains(finding.Evidence, e => e.Contains("bwrap: No permissions to create a new namespace", StringComparison.Ordinal));
        Assert.Equal(BwrapErrorKind.NoPermissionToCreateNamespace, status.BwrapProbes.Single(p => p.Mode == BwrapMode.Strict).ErrorKind);
        Assert.Contains(status.Notes, n => n.Contains("dmesg_restrict", StringComparison.Ordinal));
        Assert.DoesNotContain(status.Findings, f => f.Id.StartsWith("Bwrap", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("docker-default-seccomp")]
    [InlineData("rhel-7.9")]
    [InlineData("wsl1")]
    public void FixturesWithoutBwrapSayItIsMissingAsInfoOnly(string fixture)
    {
        var finding = Single(fixture, FindingIds.BwrapNotInstalled);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Null(finding.FixCommand);
    }

    [Fact]
    public void DockerWithAMaskedProcSaysFlatpakCannotStartAndHowToUnmaskIt()
    {
        var status = Diagnoser.Diagnose(Fixtures.Load("docker-ubuntu-masked-proc"), fromReport: true);
        var finding = Single("docker-ubuntu-masked-proc", FindingIds.BwrapProcMountDenied);

        // A recorded report explains it from its facts alone: the probes that failed, the mounts, the container marker.
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(
            new[] { "Proc", "Flatpak" },
            status.BwrapProbes.Where(p => !p.Succeeded).Select(p => p.Mode.ToString()));
        Assert.Contains(finding.Evidence, e => e.StartsWith("bwrap probe Flatpak failed at Use (ProcMountDenied)", StringComparison.Ordinal));
        Assert.Contains("/proc/self/mountinfo: /proc/keys is covered by tmpfs /null (tmpfs, rw)", finding.Evidence);
        Assert.Contains("/proc/self/mountinfo: /proc/sys is covered by proc /sys (proc, ro)", finding.Evidence);
        Assert.Contains("container marker: /.dockerenv", finding.Evidence);
        Assert.Contains("here 11 mounts cover parts of it: /proc/bus, /proc/fs, /proc/irq, /proc/sys, /proc/sysrq-trigger, /proc/asound and 5 more.", finding.Explanation, StringComparison.Ordinal);
        Assert.Contains("every Flatpak app", finding.Explanation, StringComparison.Ordinal);
        Assert.Contains("in a Docker container (/.dockerenv)", finding.Explanation, StringComparison.Ordinal);

        // The fix from inside the container first, then the relaxations that may also be needed, then the sandbox side.
        var remediation = finding.Remediation;
        var unmask = remediation.IndexOf("`--security-opt systempaths=unconfined`", StringComparison.Ordinal);
        var apparmor = remediation.IndexOf("--security-opt apparmor=unconfined", StringComparison.Ordinal);
        var sandbox = remediation.IndexOf("without `--unshare-pid`/`--proc`", StringComparison.Ordinal);
        Assert.True(unmask == remediation.IndexOf("Start the container with", StringComparison.Ordinal) + "Start the container with ".Length, remediation);
        Assert.True(unmask < apparmor && apparmor < sandbox, remediation);

        // This container runs without a seccomp filter (Seccomp: 0), so relaxing one is no advice here.
        Assert.DoesNotContain("--security-opt seccomp=", remediation, StringComparison.Ordinal);
        Assert.Contains("`Invoke-NamespacedProcess` without `-MountProc`", remediation, StringComparison.Ordinal);

        // A shell user reads the same advice in the command line's words.
        var forShell = Assert.Single(
            Diagnoser.Diagnose(Fixtures.Load("docker-ubuntu-masked-proc"), fromReport: true, FrontEndWords.Cli).Findings,
            f => f.Id == FindingIds.BwrapProcMountDenied);
        Assert.Contains("`usernstools run` without `--mount-proc`", forShell.Remediation, StringComparison.Ordinal);
        Assert.Null(finding.FixCommand);
    }

    private static UsernsFinding Single(string fixture, string id) =>
        Assert.Single(Diagnoser.Diagnose(Fixtures.Load(fixture)).Findings, f => f.Id == id);

    private static void AssertSameShape(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case JsonObject obj:
                var other = Assert.IsType<JsonObject>(actual);
                foreach (var (name, value) in obj)
                {
                    Assert.True(other.ContainsKey(name), $"{path}.{name} is not a property of the model");
                    AssertSameShape(value, other[name], $"{path}.{name}");
                }

                break;
            case JsonArray array:
                var list = Assert.IsType<JsonArray>(actual);
                Assert.Equal(array.Count, list.Count);
                for (var i = 0; i < array.Count; i++)
                {
                    AssertSameShape(array[i], list[i], $"{path}[{i}]");
                }

                break;
            case null:
                break;
            default:
                Assert.True(JsonNode.DeepEquals(expected, actual) || expected.ToJsonString() == actual?.ToJsonString() || SameNumber(expected, actual), $"{path}: {expected.ToJsonString()} became {actual?.ToJsonString()}");
                break;
        }
    }

    private static bool SameNumber(JsonNode expected, JsonNode? actual) =>
        expected is JsonValue e && actual is JsonValue a && e.TryGetValue<double>(out var x) && a.TryGetValue<double>(out var y) && x.Equals(y);
}
