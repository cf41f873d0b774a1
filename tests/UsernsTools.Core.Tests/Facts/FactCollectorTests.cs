using UsernsTools.Facts;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Facts;

public sealed class FactCollectorTests : IDisposable
{
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    /// <summary>An Ubuntu 24.04 machine in miniature: restricted by AppArmor, with a STIG-like drop-in losing to a later one.</summary>
    private void BuildUbuntu()
    {
        _root.WithFile("/proc/sys/kernel/osrelease", "6.8.0-31-generic\n")
             .WithFile("/proc/sys/kernel/version", "#31-Ubuntu SMP PREEMPT_DYNAMIC\n")
             .WithFile("/proc/sys/kernel/hostname", "noble\n")
             .WithFile("/proc/sys/user/max_user_namespaces", "63327\n")
             .WithFile("/proc/sys/kernel/unprivileged_userns_clone", "1\n")
             .WithFile("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1\n")
             .WithFile("/etc/sysctl.d/60-apparmor-namespace.conf", "kernel.apparmor_restrict_unprivileged_userns = 0\n")
             .WithFile("/usr/lib/sysctl.d/99-ubuntu.conf", "kernel.apparmor_restrict_unprivileged_userns = 1\n")
             .WithFile("/etc/os-release", "ID=ubuntu\nVERSION_ID=\"24.04\"\nPRETTY_NAME=\"Ubuntu 24.04 LTS\"\n")
             .WithFile("/etc/passwd", "root:x:0:0::/root:/bin/bash\nubuntu:x:1000:1000::/home/ubuntu:/bin/bash\nnobody:x:65534:65534::/:/usr/sbin/nologin\n")
             .WithFile("/etc/subuid", "ubuntu:100000:65536\n")
             .WithFile("/etc/subgid", "ubuntu:100000:65536\n")
             .WithFile("/sys/module/apparmor/parameters/enabled", "Y\n")
             .WithFile("/sys/kernel/security/apparmor/features/namespaces/userns_create", "pciu&\n")
             .WithFile("/etc/apparmor.d/unshare-userns-restrict", "profile unshare /usr/bin/unshare flags=(attach_disconnected) {\n  userns,\n}\n")
             .WithFile("/proc/self/status", "Seccomp:\t0\nNoNewPrivs:\t0\nCapEff:\t0000000000000000\n")
             .WithFile("/proc/self/uid_map", "0 0 4294967295\n")
             .WithLink("/proc/self/ns/user", "user:[4026531837]")
             .WithExecutable("/usr/bin/unshare")
             .WithExecutable("/usr/bin/bwrap");
    }

    [Fact]
    public async Task CollectsEveryPartFromAFolderRootWithoutRunningAnything()
    {
        BuildUbuntu();
        var runner = new FakeProcessRunner(_ => throw new InvalidOperationException("nothing from another root may run"));
        var facts = await FactCollector.CollectAsync(
            new FactRequest
            {
                Root = _root.Path,
                CallerUid = 0,
                Environment = new Dictionary<string, string?> { ["SUDO_UID"] = "1000", ["PATH"] = "/usr/bin" },
                Runner = runner,
            },
            CancellationToken.None);

        Assert.Empty(runner.Requests);
        Assert.Equal("noble", facts.Hostname);
        Assert.Equal(("ubuntu", "SudoUser"), (facts.Subject.User, facts.Subject.Source));
        Assert.Equal(0, facts.CallerUid);
        Assert.Equal(("6.8.0-31-generic", "ubuntu", "24.04"), (facts.Kernel.Release, facts.Kernel.OsId, facts.Kernel.OsVersionId));
        Assert.Equal(SettingCatalog.Names, facts.Settings.Select(s => s.Name));

        var restrict = facts.Setting("kernel.apparmor_restrict_unprivileged_userns")!;
        Assert.Equal(("1", "1", "/usr/lib/sysctl.d/99-ubuntu.conf:1"), (restrict.RuntimeValue, restrict.PersistedValue, restrict.PersistedSource));
        Assert.Equal("/etc/sysctl.d/60-apparmor-namespace.conf", Assert.Single(restrict.Shadowed).File);
        Assert.False(facts.Setting("user_namespace.enable")!.Present);

        Assert.True(facts.SecurityModules.AppArmorEnabled);
        Assert.Equal("/usr/bin/unshare", Assert.Single(facts.SecurityModules.AppArmorProfiles).Attachment);
        Assert.Equal((true, false), (facts.Process.InInitialUserNamespace, facts.Process.HasCapSysAdmin));
        Assert.Equal(ContainerKind.None, facts.Environment.Container);
        Assert.Null(facts.Environment.InChroot);

        Assert.Equal((true, (string?)null), (facts.Tool("unshare")!.Found, facts.Tool("unshare")!.Version));
        Assert.False(facts.Tool("setpriv")!.Found);
        Assert.Equal(100000, Assert.Single(facts.SubordinateUids).Start);
        Assert.Equal(SubordinateIdKind.Gid, Assert.Single(facts.SubordinateGids).Kind);
    }

    [Fact]
    public async Task UnknownUserFailsBeforeAnyProcessStarts()
    {
        BuildUbuntu();
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Output(""));
        var ex = await Assert.ThrowsAsync<UsernsException>(() => FactCollector.CollectAsync(
            new FactRequest { Root = _root.Path, User = "nosuchuser", Runner = runner },
            CancellationToken.None));
        Assert.Equal("UnknownUser", ex.ErrorId);
        Assert.Empty(runner.Requests);
    }

    [Fact]
    public async Task SnapshotOfAFolderSurvivesJsonRoundTrip()
    {
        BuildUbuntu();
        var facts = await FactCollector.CollectAsync(new FactRequest { Root = _root.Path, User = "1000" }, CancellationToken.None);
        var json = System.Text.Json.JsonSerializer.Serialize(
            new UsernsTools.Diagnosis.UsernsSnapshot { Facts = facts },
            UsernsTools.Serialization.UsernsJsonContext.Default.UsernsSnapshot);
        var back = System.Text.Json.JsonSerializer.Deserialize(json, UsernsTools.Serialization.UsernsJsonContext.Default.UsernsSnapshot)!;
        Assert.Contains("\"persistedSource\": \"/usr/lib/sysctl.d/99-ubuntu.conf:1\"", json, StringComparison.Ordinal);
        Assert.Equal(facts.Settings.Count, back.Facts.Settings.Count);
        Assert.Equal("ubuntu", back.Facts.Subject.User);
        Assert.Equal("/etc/sysctl.d/60-apparmor-namespace.conf", back.Facts.Setting("kernel.apparmor_restrict_unprivileged_userns")!.Shadowed[0].File);
    }

    [KernelFact("unshare", "bwrap")]
    public async Task LiveMachineFactsMatchThisProcess()
    {
        var facts = await FactCollector.CollectAsync(
            new FactRequest { CallerUid = CurrentProcess.EffectiveUid, Environment = CurrentProcess.Environment() },
            CancellationToken.None);

        Assert.Equal(CurrentProcess.EffectiveUid, facts.CallerUid);
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), facts.Kernel.Release);
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/hostname").Trim(), facts.Hostname);
        if (CurrentProcess.EffectiveUid == 0)
        {
            Assert.Contains(facts.Subject.Source, new[] { "SudoUser", "DefaultNobody" });
        }
        else
        {
            Assert.Equal(("Caller", true, CurrentProcess.EffectiveUid), (facts.Subject.Source, facts.Subject.IsCaller, facts.Subject.Uid));
        }

        Assert.NotNull(facts.Tool("unshare")!.Version);
        Assert.NotNull(facts.Tool("bwrap")!.Version);
        Assert.False(facts.Tool("unshare")!.IsSetuid);

        var max = facts.Setting("user.max_user_namespaces")!;
        Assert.True(max.Present);
        Assert.Equal(File.ReadAllText("/proc/sys/user/max_user_namespaces").Trim(), max.RuntimeValue);
        Assert.Equal(File.Exists("/proc/sys/kernel/unprivileged_userns_clone"), facts.Setting("kernel.unprivileged_userns_clone")!.Present);
        Assert.Equal(File.Exists("/.dockerenv"), facts.Environment.ContainerEvidence.Contains("/.dockerenv"));
        Assert.NotNull(facts.Process.InInitialUserNamespace);
    }

    [KernelFact(RequiresRoot = true)]
    public async Task RootOnTheTestHostDiagnosesNobodyInTheInitialNamespace()
    {
        // The documented test host: root in the initial user namespace, no SUDO_UID in the test environment.
        var env = CurrentProcess.Environment().Where(kv => kv.Key != "SUDO_UID").ToDictionary(kv => kv.Key, kv => kv.Value);
        var facts = await FactCollector.CollectAsync(new FactRequest { CallerUid = 0, Environment = env }, CancellationToken.None);
        Assert.Equal(("DefaultNobody", false), (facts.Subject.Source, facts.Subject.IsCaller));
        Assert.True(facts.Process.HasCapSysAdmin);
        if (facts.Process.UserNamespaceInode == ProcessFactReader.InitialUserNamespaceInode)
        {
            Assert.Equal((true, 0), (facts.Process.InInitialUserNamespace, facts.Process.UserNamespaceDepth));
        }
    }
}
