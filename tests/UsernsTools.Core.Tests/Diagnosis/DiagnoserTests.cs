using FsCheck;
using FsCheck.Fluent;
using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Probes;
using UsernsTools.Serialization;
using Xunit;

namespace UsernsTools.Tests.Diagnosis;

/// <summary>What holds for every snapshot: no exceptions, a stable order, and a verdict that follows the probes.</summary>
public class DiagnoserTests
{
    [Fact]
    public void EmptySnapshotDoesNotThrow()
    {
        var status = Diagnoser.Diagnose(new UsernsSnapshot());

        Assert.Empty(status.Findings);
        Assert.Equal(Verdict.Available, status.Verdict);
    }

    [Fact]
    public void ReportWithNullsDoesNotThrow()
    {
        const string json = """
            { "schemaVersion": 1,
              "facts": { "subject": { "user": "alice" }, "kernel": null, "settings": null, "securityModules": null, "process": null,
                         "environment": null, "tools": null, "subordinateUids": null, "subordinateGids": null },
              "probes": null }
            """;

        var status = Diagnoser.Diagnose(ReportReader.Parse(json, "nulls.json"), fromReport: true);

        Assert.Empty(status.Findings);
        Assert.Empty(status.Probes);
    }

    [Fact]
    public void DiagnosisIsRepeatable()
    {
        var snapshot = Fixtures.Load("rhel-7.2");
        var first = Diagnoser.Diagnose(snapshot);
        var second = Diagnoser.Diagnose(snapshot);

        Assert.Equal(first.Findings.Select(f => (f.Id, f.Severity, f.Explanation, f.Remediation)), second.Findings.Select(f => (f.Id, f.Severity, f.Explanation, f.Remediation)));
        Assert.Equal(first.Verdict, second.Verdict);
    }

    [Fact]
    public void ProbesOverruleFactsForTheVerdict()
    {
        // Facts say creation is off, but the probe created one (e.g. the subject holds CAP_SYS_ADMIN): trust the probe.
        var status = new SnapshotBuilder().Setting("user.max_user_namespaces", "0").Works().Diagnose();

        Assert.Equal(Verdict.Limited, status.Verdict);
    }

    [Fact]
    public void EveryCreationProbeInAReportCounts()
    {
        // A report with two creation probes, one that could not start and one refused by the kernel.
        var status = new SnapshotBuilder()
            .Probe(ProbeNames.CreateUserNamespace, ProbeStage.Launch, Errno.ENOSYS, "message")
            .Probe(ProbeNames.CreateUserNamespace, ProbeStage.Create, Errno.ENOENT, "message")
            .Diagnose();

        Assert.Equal(Verdict.Unavailable, status.Verdict);
    }

    [Fact]
    public void WithoutProbesABlockingSwitchMakesItUnavailable()
    {
        Assert.Equal(Verdict.Unavailable, new SnapshotBuilder().Setting("kernel.unprivileged_userns_clone", "0").Diagnose().Verdict);
    }

    [Theory]
    [InlineData("rocky", "rhel centos fedora", "8.10", "dnf install util-linux")]
    [InlineData("centos", "rhel fedora", "7", "yum install util-linux")]
    [InlineData("linuxmint", "ubuntu debian", "22", "apt-get install util-linux")]
    [InlineData("someos", "arch", null, "pacman -S util-linux")]
    public void DistributionComesFromIdOrIdLike(string id, string like, string? version, string install)
    {
        var b = new SnapshotBuilder { Kernel = new KernelFacts { Release = "6.1.0", OsId = id, OsIdLike = like, OsVersionId = version } };

        var finding = Assert.Single(b.Tool("unshare", null).Diagnose().Findings);
        Assert.Contains(install, finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void AnyMixOfFactsAndProbesIsDiagnosedWithoutThrowingAndInOrder()
    {
        var names = new[] { "kernel.unprivileged_userns_clone", "user.max_user_namespaces", "user.max_net_namespaces", "kernel.apparmor_restrict_unprivileged_userns", "user_namespace.enable", "kernel.userns_restrict" };
        var values = new[] { "0", "1", "N", "Y", "", " 7 ", "abc", "-1", "99999999999999999999", null };
        var stages = Enum.GetValues<ProbeStage>();
        var errnos = Enum.GetValues<Errno>();
        var probeNames = new[] { ProbeNames.CreateUserNamespace, ProbeNames.MapRootUser, ProbeNames.Mount, ProbeNames.Net, "Unknown" };

        var gen =
            from settingValues in Gen.ArrayOf(Gen.Elements(values), names.Length)
            from probeCount in Gen.Choose(0, 4)
            from probes in Gen.ArrayOf(
                from name in Gen.Elements(probeNames)
                from stage in Gen.Elements(stages)
                from errno in Gen.Elements(errnos)
                select (name, stage, errno), probeCount)
            from seccomp in Gen.Elements<int?>(null, 0, 2)
            from nested in Gen.Elements<bool?>(null, true, false)
            from chroot in Gen.Elements<bool?>(null, true, false)
            from wsl in Gen.Elements(Enum.GetValues<WslKind>())
            from container in Gen.Elements(Enum.GetValues<ContainerKind>())
            select (settingValues, probes, seccomp, nested, chroot, wsl, container);

        Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var b = new SnapshotBuilder
            {
                Process = new ProcessFacts { Seccomp = input.seccomp, InInitialUserNamespace = input.nested, UidMap = input.nested == false ? "0 1000 1" : null },
                Environment = new EnvironmentFacts { InChroot = input.chroot, Wsl = input.wsl, Container = input.container },
            };
            for (var i = 0; i < names.Length; i++)
            {
                b.Setting(names[i], input.settingValues[i]);
            }

            foreach (var (name, stage, errno) in input.probes)
            {
                b.Probe(name, stage, errno, "message");
            }

            var status = b.Diagnose();
            var failed = b.Build().Probes.Where(p => !p.Succeeded).Select(Evidence.Of).ToList();
            var sorted = status.Findings
                .OrderByDescending(f => f.Severity)
                .ThenBy(f => f.Severity == Severity.Blocking && f.Evidence.Any(failed.Contains) ? 0 : 1)
                .ThenBy(f => f.Id, StringComparer.Ordinal)
                .Select(f => f.Id);
            var creationFailed = input.probes.Any(p => p.name == ProbeNames.CreateUserNamespace && p.stage == ProbeStage.Create)
                && !input.probes.Any(p => p.stage is ProbeStage.None or ProbeStage.Map or ProbeStage.Use);
            return sorted.SequenceEqual(status.Findings.Select(f => f.Id))
                && status.Findings.All(f => f.Id.Length > 0 && f.Evidence.Count > 0 && f.Explanation.Length > 0)
                && (!creationFailed || status.Verdict == Verdict.Unavailable);
        }).QuickCheckThrowOnFailure();
    }
}
