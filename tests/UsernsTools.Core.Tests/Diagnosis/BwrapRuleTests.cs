using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;
using Xunit;

namespace UsernsTools.Tests.Diagnosis;

/// <summary>The bwrap findings: each failure named once, with the machine's cause and the least-privilege fix, and the verdict it implies.</summary>
public class BwrapRuleTests
{
    private const string UidMapMessage = "setting up uid map: Permission denied";
    private const string AppArmorUidMapLine = "audit: type=1400 audit(1736845950.884:875): apparmor=\"DENIED\" operation=\"open\" class=\"file\" profile=\"unprivileged_userns\" name=\"/proc/4242/uid_map\" pid=4242 comm=\"bwrap\" requested_mask=\"wr\" denied_mask=\"wr\" fsuid=1000 ouid=1000";

    private static SnapshotBuilder Ubuntu() => new SnapshotBuilder
    {
        Kernel = new KernelFacts { Release = "6.8.0-51-generic", OsId = "ubuntu", OsVersionId = "24.04", OsIdLike = "debian" },
        SecurityModules = new SecurityModuleFacts { AppArmorEnabled = true, AppArmorMediatesUserns = true, AppArmorUnconfinedRestrictsUserns = true },
    }.Setting("kernel.apparmor_restrict_unprivileged_userns", "1");

    private static BwrapInstallation At(string path) => new() { Path = path, ResolvedPath = path, Source = "BwrapPath", IsSelected = true, Version = "0.9.0", OwnerUid = 0 };

    private static SnapshotBuilder BwrapUidMapDenied(SnapshotBuilder builder, BwrapInstallation? installation = null, Errno errno = Errno.EACCES, string message = UidMapMessage) => builder
        .BwrapProbe(BwrapMode.Strict, BwrapErrorKind.UidMapDenied, ProbeStage.Map, errno, message, installation)
        .BwrapProbe(BwrapMode.Try, BwrapErrorKind.UidMapDenied, ProbeStage.Map, errno, message, installation)
        .BwrapProbe(BwrapMode.Network, BwrapErrorKind.LoopbackSetupDenied, ProbeStage.Use, Errno.EPERM, "loopback: Failed RTM_NEWADDR: Operation not permitted", installation)
        .BwrapProbe(BwrapMode.Proc, BwrapErrorKind.UidMapDenied, ProbeStage.Map, errno, message, installation);

    [Fact]
    public void WorkingBwrapAddsNothingAndKeepsTheVerdictAvailable()
    {
        var status = new SnapshotBuilder().Tool("bwrap", "/usr/bin/bwrap", "0.8.0").Works().BwrapWorks().Diagnose();

        Assert.Empty(status.Findings);
        Assert.Equal(Verdict.Available, status.Verdict);
        Assert.Equal(Enum.GetValues<BwrapMode>().Length, status.BwrapProbes.Count);
    }

    [Fact]
    public void UidMapDeniedWithWorkingUnshareIsLimitedByOneBlockingFinding()
    {
        // unshare maps fine, bwrap's map write is refused: a sandbox-only limit the verdict must not call Available.
        var status = BwrapUidMapDenied(new SnapshotBuilder().Works(), errno: Errno.EPERM, message: "setting up uid map: Operation not permitted").Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.BwrapUidMapDenied, finding.Id);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal(Verdict.Limited, status.Verdict);

        // One cause, one finding: the loopback failure of the network mode is evidence here, not a finding of its own.
        Assert.Contains(finding.Evidence, e => e.Contains("RTM_NEWADDR", StringComparison.Ordinal));
        Assert.DoesNotContain(status.Findings, f => f.Id == FindingIds.BwrapLoopbackDenied);

        // Without the AppArmor restriction a profile would not help, so none is offered.
        Assert.Null(finding.FixCommand);
    }

    [Fact]
    public void UidMapDeniedUnderUbuntusRestrictionOffersTheProfileForTheBwrapThatRan()
    {
        var status = BwrapUidMapDenied(
                Ubuntu()
                    .Probe(ProbeNames.CreateUserNamespace)
                    .Probe(ProbeNames.MapRootUser, ProbeStage.Map, Errno.EPERM, "unshare: write failed /proc/self/uid_map: Operation not permitted"),
                At("/opt/bwrap/bin/bwrap"))
            .Denial(AppArmorUidMapLine)
            .Diagnose();

        var finding = Assert.Single(status.Findings, f => f.Id == FindingIds.BwrapUidMapDenied);
        Assert.Equal("Enable-UnprivilegedUserns -Method AppArmorProfile -ProgramPath /opt/bwrap/bin/bwrap", finding.FixCmdlet);
        Assert.Contains("unprivileged_userns", finding.Explanation, StringComparison.Ordinal);
        var profile = finding.Remediation.IndexOf("-Method AppArmorProfile", StringComparison.Ordinal);
        var sysctl = finding.Remediation.IndexOf("apparmor_restrict_unprivileged_userns -Value 0", StringComparison.Ordinal);
        Assert.True(profile >= 0 && sysctl > profile, finding.Remediation);
        Assert.Contains(finding.Evidence, e => e.EndsWith(AppArmorUidMapLine, StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, e => e.Contains("bwrap: " + UidMapMessage, StringComparison.Ordinal));
        Assert.Equal(Verdict.Limited, status.Verdict);
    }

    [Fact]
    public void LoopbackDeniedAloneIsAWarningThatLimits()
    {
        var status = new SnapshotBuilder().Works()
            .BwrapProbe(BwrapMode.Strict).BwrapProbe(BwrapMode.Try).BwrapProbe(BwrapMode.Proc)
            .BwrapProbe(BwrapMode.Network, BwrapErrorKind.LoopbackSetupDenied, ProbeStage.Use, Errno.EPERM, "loopback: Failed RTM_NEWADDR: Operation not permitted")
            .Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.BwrapLoopbackDenied, finding.Id);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(Verdict.Limited, status.Verdict);
    }

    [Fact]
    public void LoopbackMessageIsHarmlessOnGvisor()
    {
        var status = new SnapshotBuilder { Environment = new EnvironmentFacts { InChroot = false, Gvisor = true } }.Works()
            .BwrapProbe(BwrapMode.Strict).BwrapProbe(BwrapMode.Try).BwrapProbe(BwrapMode.Proc)
            .BwrapProbe(BwrapMode.Network, BwrapErrorKind.LoopbackSetupDenied, ProbeStage.Use, Errno.EPERM, "loopback: Failed RTM_NEWADDR: Operation not permitted")
            .Diagnose();

        Assert.Equal(new[] { FindingIds.GvisorLoopback }, status.Findings.Select(f => f.Id));
        Assert.Equal(Verdict.Available, status.Verdict);
    }

    [Fact]
    public void ProcMountDeniedInADockerContainerPointsAtTheMaskedProc()
    {
        var status = new SnapshotBuilder { Environment = new EnvironmentFacts { InChroot = false, Container = ContainerKind.Docker, ContainerEvidence = new[] { "/.dockerenv" } } }
            .Works()
            .BwrapProbe(BwrapMode.Strict).BwrapProbe(BwrapMode.Try).BwrapProbe(BwrapMode.Network)
            .BwrapProbe(BwrapMode.Proc, BwrapErrorKind.ProcMountDenied, ProbeStage.Use, Errno.EPERM, "Can't mount proc on /newroot/proc: Operation not permitted")
            .Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.BwrapProcMountDenied, finding.Id);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("systempaths=unconfined", finding.Explanation + finding.Remediation, StringComparison.Ordinal);
        Assert.Null(finding.FixCommand);
        Assert.Equal(Verdict.Limited, status.Verdict);
    }

    private const string ProcMessage = "Can't mount proc on /newroot/proc: Operation not permitted";

    private static SnapshotBuilder MaskedProc(ContainerKind container, string[] markers, params string[] mountPoints) => new SnapshotBuilder
    {
        Environment = new EnvironmentFacts
        {
            InChroot = false,
            Container = container,
            ContainerEvidence = markers,
            ProcOvermounts = mountPoints.Select(m => new ProcOvermount { MountPoint = m, FileSystemType = "tmpfs", Source = "tmpfs", Root = "/null" }).ToArray(),
        },
    }.Works()
        .BwrapProbe(BwrapMode.Strict).BwrapProbe(BwrapMode.Try).BwrapProbe(BwrapMode.Network)
        .BwrapProbe(BwrapMode.Proc, BwrapErrorKind.ProcMountDenied, ProbeStage.Use, Errno.EPERM, ProcMessage)
        .BwrapProbe(BwrapMode.Flatpak, BwrapErrorKind.ProcMountDenied, ProbeStage.Use, Errno.EPERM, ProcMessage);

    [Theory]
    [InlineData(ContainerKind.Docker, "/.dockerenv", "--security-opt systempaths=unconfined")]
    [InlineData(ContainerKind.Podman, "/run/.containerenv", "--security-opt unmask=ALL")]
    [InlineData(ContainerKind.Kubernetes, "KUBERNETES_SERVICE_HOST in the environment", "procMount: Unmasked")]
    [InlineData(ContainerKind.None, null, "umount")]
    public void AMaskedProcIsNamedWithItsMountsTheContainerAndTheFixFromInsideIt(ContainerKind container, string? marker, string fix)
    {
        var markers = marker is null ? Array.Empty<string>() : new[] { marker };
        var status = MaskedProc(container, markers, "/proc/keys", "/proc/kcore", "/proc/sys/fs/binfmt_misc").Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.BwrapProcMountDenied, finding.Id);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(Verdict.Limited, status.Verdict);
        Assert.Contains("/proc/self/mountinfo: /proc/keys is covered by tmpfs /null (tmpfs, rw)", finding.Evidence);
        Assert.Contains("/proc/self/mountinfo: /proc/kcore is covered by tmpfs /null (tmpfs, rw)", finding.Evidence);
        Assert.DoesNotContain(finding.Evidence, e => e.Contains("binfmt_misc", StringComparison.Ordinal));
        Assert.Contains("here 2 mounts cover parts of it: /proc/keys, /proc/kcore.", finding.Explanation, StringComparison.Ordinal);
        Assert.Contains("every Flatpak app", finding.Explanation, StringComparison.Ordinal);
        Assert.Contains(fix, finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("without `-MountProc`", finding.Remediation, StringComparison.Ordinal);
        Assert.Null(finding.FixCommand);
        if (marker is not null)
        {
            Assert.Contains("container marker: " + marker, finding.Evidence);
            Assert.Contains($"in a {container} container ({marker})", finding.Explanation, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void KubernetesUnmaskingNeedsThePodsOwnUserNamespace()
    {
        var finding = Assert.Single(MaskedProc(ContainerKind.Kubernetes, new[] { "KUBERNETES_SERVICE_HOST in the environment" }, "/proc/keys").Diagnose().Findings);

        Assert.Contains("`hostUsers: false`", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void DockersSeccompFilterIsNamedWhenOneIsActive()
    {
        var builder = MaskedProc(ContainerKind.Docker, new[] { "/.dockerenv" }, "/proc/keys");
        builder.Process = new ProcessFacts { Seccomp = 2, SeccompFilters = 1, InInitialUserNamespace = true, UidMap = "0 0 4294967295" };

        var finding = Assert.Single(builder.Diagnose().Findings, f => f.Id == FindingIds.BwrapProcMountDenied);
        var unmask = finding.Remediation.IndexOf("--security-opt systempaths=unconfined", StringComparison.Ordinal);
        var seccomp = finding.Remediation.IndexOf("--security-opt seccomp=", StringComparison.Ordinal);
        Assert.True(unmask >= 0 && seccomp > unmask, finding.Remediation);
    }

    [Fact]
    public void NothingCoveringProcPointsAtAPolicyNotAtMasks()
    {
        var status = MaskedProc(ContainerKind.Docker, new[] { "/.dockerenv" }, "/proc/sys/fs/binfmt_misc").Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.DoesNotContain("systempaths=unconfined", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("seccomp, AppArmor or SELinux", finding.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingBwrapIsInfoAndAbsentFromAnOldReportIsNothing()
    {
        var missing = new SnapshotBuilder().Tool("bwrap", null).Works().Diagnose();
        var finding = Assert.Single(missing.Findings);
        Assert.Equal(FindingIds.BwrapNotInstalled, finding.Id);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains("apt-get install bubblewrap", finding.Remediation, StringComparison.Ordinal);
        Assert.Equal(Verdict.Available, missing.Verdict);

        Assert.Empty(new SnapshotBuilder().Works().Diagnose().Findings);
    }

    [Fact]
    public void APrivilegedBwrapSeenByTheProbeIsOneSetuidFindingNotTwo()
    {
        var privileged = new BwrapInstallation
        {
            Path = "/usr/local/bin/bwrap",
            ResolvedPath = "/usr/local/bin/bwrap",
            Source = "PATH",
            IsSelected = true,
            OwnerUid = 0,
            FileCapabilities = "cap_sys_admin=ep",
            Facts = new[] { new BwrapFact { Id = "BwrapFileCapabilities", Severity = Severity.Warning, Message = "/usr/local/bin/bwrap has file capabilities (cap_sys_admin=ep)." } },
        };
        var fromProbe = new SnapshotBuilder().Tool("bwrap", "/usr/local/bin/bwrap", "0.8.0", caps: "cap_sys_admin=ep").Works()
            .BwrapProbe(BwrapMode.Strict, BwrapErrorKind.SetuidNotUsed, ProbeStage.Launch, Errno.None, null, privileged)
            .Diagnose();

        var finding = Assert.Single(fromProbe.Findings);
        Assert.Equal(FindingIds.SetuidBwrap, finding.Id);
        Assert.Contains("setcap -r /usr/local/bin/bwrap", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains(finding.Evidence, e => e.Contains("cap_sys_admin=ep", StringComparison.Ordinal));

        var both = new SnapshotBuilder().Tool("bwrap", "/usr/bin/bwrap", "0.8.0", setuid: true).Works()
            .BwrapProbe(BwrapMode.Strict, BwrapErrorKind.SetuidNotUsed, ProbeStage.Launch, Errno.None, null, new BwrapInstallation { Path = "/usr/bin/bwrap", IsSetuid = true, OwnerUid = 0 })
            .Diagnose();
        Assert.Equal(new[] { FindingIds.SetuidBwrap }, both.Findings.Select(f => f.Id));
    }

    [Fact]
    public void ABwrapFailureNothingElseExplainsStillNamesItsCause()
    {
        // unshare works, yet bwrap is refused at creation: a profile confining bwrap that the facts did not list.
        var status = new SnapshotBuilder().Works()
            .BwrapProbe(BwrapMode.Strict, BwrapErrorKind.CreateDeniedBySecurityModule, ProbeStage.Create, Errno.EACCES, "Creating new namespace failed: Permission denied")
            .Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.BwrapProbeFailed, finding.Id);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Contains("EACCES", finding.Explanation, StringComparison.Ordinal);
        Assert.Equal(Verdict.Limited, status.Verdict);
    }

    [Fact]
    public void ACreationFailureBothToolsMeetIsOneFindingWithBothProbesAsEvidence()
    {
        var status = new SnapshotBuilder { Process = new ProcessFacts { Seccomp = 2, SeccompFilters = 1, InInitialUserNamespace = true, UidMap = "0 0 4294967295" }, Environment = new EnvironmentFacts { InChroot = false, Container = ContainerKind.Docker, ContainerEvidence = new[] { "/.dockerenv" } } }
            .CreateFails(Errno.EPERM, "unshare: unshare failed: Operation not permitted")
            .BwrapProbe(BwrapMode.Strict, BwrapErrorKind.NoPermissionToCreateNamespace, ProbeStage.Create, Errno.EPERM, "No permissions to create a new namespace, likely because the kernel does not allow non-privileged user namespaces.")
            .Denial("audit: type=1326 audit(1736845950.884:880): auid=4294967295 uid=1000 gid=1000 ses=4294967295 subj=docker-default pid=77 comm=\"unshare\" exe=\"/usr/bin/unshare\" sig=0 arch=c000003e syscall=272 compat=0 ip=0x7f0 code=0x50000")
            .Diagnose();

        var finding = Assert.Single(status.Findings);
        Assert.Equal(FindingIds.SeccompBlocksUserns, finding.Id);
        Assert.Contains(finding.Evidence, e => e.Contains("No permissions to create a new namespace", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, e => e.Contains("syscall=272", StringComparison.Ordinal));
        Assert.Equal(Verdict.Unavailable, status.Verdict);
    }

    [Fact]
    public void BwrapTellsWhetherNamespacesWorkWhenUnshareCouldNotRun()
    {
        var launch = "unshare: not found";
        var works = new SnapshotBuilder().Tool("unshare", null).Probe(ProbeNames.CreateUserNamespace, ProbeStage.Launch, Errno.ENOENT, launch).BwrapWorks().Diagnose();
        Assert.Equal(Verdict.Available, works.Verdict);

        var refused = new SnapshotBuilder().Tool("unshare", null).Probe(ProbeNames.CreateUserNamespace, ProbeStage.Launch, Errno.ENOENT, launch)
            .BwrapProbe(BwrapMode.Strict, BwrapErrorKind.NamespaceLimitExceeded, ProbeStage.Create, Errno.ENOSPC, "Creating new namespace failed: nesting depth or /proc/sys/user/max_*_namespaces exceeded (ENOSPC)")
            .Diagnose();
        Assert.Equal(Verdict.Unavailable, refused.Verdict);
    }

    [Fact]
    public void OnlyTheNewestMatchingDenialsAreQuoted()
    {
        var builder = Ubuntu().Probe(ProbeNames.CreateUserNamespace).Probe(ProbeNames.MapRootUser, ProbeStage.Map, Errno.EPERM, "unshare: write failed /proc/self/uid_map: Operation not permitted");
        for (var pid = 100; pid < 110; pid++)
        {
            builder.Denial($"audit: type=1400 audit(1736845950.{pid}:{pid}): apparmor=\"DENIED\" operation=\"capable\" class=\"cap\" profile=\"unprivileged_userns\" pid={pid} comm=\"unshare\" capability=21  capname=\"sys_admin\"");
        }

        var finding = Assert.Single(builder.Diagnose().Findings, f => f.Id == FindingIds.AppArmorRestrictsUserns);
        var quoted = finding.Evidence.Where(e => e.StartsWith("journalctl -k: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(DenialEvidence.MaxLinesPerFinding, quoted.Count);
        Assert.Contains("pid=109", quoted[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(quoted, e => e.Contains("pid=100 ", StringComparison.Ordinal));
    }
}
