using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Platform;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;
using Xunit;

namespace UsernsTools.Tests.Bwrap;

public class BwrapProberTests
{
    private static readonly string? s_path = Environment.GetEnvironmentVariable("PATH");

    private static UsernsSubject Caller => new() { User = "caller", Uid = CurrentProcess.EffectiveUid, Gid = 0, IsCaller = true, HasPasswdEntry = true, Source = "Caller" };

    private static UsernsSubject Nobody => new() { User = "nobody", Uid = 65534, Gid = 65534, IsCaller = false, HasPasswdEntry = true, Source = "Explicit" };

    [KernelFact("bwrap")]
    public async Task RealBwrapWorksForTheCallerInEveryMode()
    {
        var results = await BwrapProber.RunAsync(new BwrapProbeRequest { Subject = Caller, CallerUid = CurrentProcess.EffectiveUid, SearchPath = s_path }, CancellationToken.None);

        Assert.Equal(Enum.GetValues<BwrapMode>(), results.Select(r => r.Mode));
        Assert.All(results, r => Assert.True(r.Succeeded, r.Mode + ": " + r.StandardError));
        Assert.All(results, r => Assert.Equal(BwrapErrorKind.None, r.ErrorKind));
        Assert.All(results.Where(r => r.Mode != BwrapMode.Try), r => Assert.True(r.UidMapped, r.Mode + " map: " + r.UidMap));
        Assert.NotNull(results[0].Installation?.Version);
        Assert.True(ProbeVerdicts.BwrapWorks(results));
    }

    [KernelFact("bwrap", "setpriv", RequiresRoot = true)]
    public async Task RealBwrapWorksAsNobodyAndMapsNobodyToRoot()
    {
        var results = await BwrapProber.RunAsync(
            new BwrapProbeRequest { Subject = Nobody, CallerUid = 0, SetprivPath = PathLookup.Find("setpriv", s_path), SearchPath = s_path },
            CancellationToken.None);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Mode + ": " + r.StandardError));
        Assert.All(results, r => Assert.Equal("nobody", r.User));
        Assert.Equal("0 65534 1", results.Single(r => r.Mode == BwrapMode.Strict).UidMap);
        Assert.Equal("bwrap", Path.GetFileName(results[0].Command[0]));

        // --unshare-user-try as an unprivileged user can only run inside a new user namespace.
        var tryMode = results.Single(r => r.Mode == BwrapMode.Try);
        Assert.True(tryMode.UidMapped, tryMode.UidMap);
    }

    [KernelFact("bwrap", "unshare")]
    public async Task ANestedNamespaceWithMaxUserNamespacesZeroFailsWithEnospc()
    {
        var facts = new MachineFacts { Process = new ProcessFacts { InInitialUserNamespace = false } };
        var results = Explained(
            await BwrapProber.RunAsync(
                new BwrapProbeRequest
                {
                    Subject = Caller,
                    CallerUid = CurrentProcess.EffectiveUid,
                    SearchPath = s_path,
                    Runner = PrefixRunner.WithoutUserNamespaces(KernelPrerequisites.Tool("unshare")),
                },
                CancellationToken.None),
            facts);

        foreach (var result in results.Where(r => r.Mode != BwrapMode.Try))
        {
            Assert.False(result.Succeeded);
            Assert.Equal(BwrapErrorKind.NamespaceLimitExceeded, result.ErrorKind);
            Assert.Equal(Errno.ENOSPC, result.Errno);
            Assert.Equal(ProbeStage.Create, result.Stage);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("ENOSPC", result.StandardError, StringComparison.Ordinal);
            Assert.Contains("max_user_namespaces", result.LikelyCause, StringComparison.Ordinal);
        }

        // Root of the nested namespace may run bwrap without a user namespace; try mode then does, unmapped.
        var tryMode = results.Single(r => r.Mode == BwrapMode.Try);
        Assert.True(tryMode.Succeeded, tryMode.StandardError);
        Assert.False(tryMode.UidMapped);
        Assert.False(ProbeVerdicts.BwrapWorks(results));
    }

    [KernelFact("bwrap", "unshare")]
    public async Task AMaskedProcFailsTheModesThatAskForANewPidNamespaceAsFlatpakDoes()
    {
        var keys = new ProcOvermount { MountPoint = "/proc/keys", FileSystemType = "devtmpfs", Source = "devtmpfs", Root = "/null" };
        var facts = new MachineFacts { Environment = new EnvironmentFacts { ProcOvermounts = new[] { keys } } };
        var results = Explained(
            await BwrapProber.RunAsync(
                new BwrapProbeRequest
                {
                    Subject = Caller,
                    CallerUid = CurrentProcess.EffectiveUid,
                    SearchPath = s_path,
                    Runner = PrefixRunner.MaskedProc,
                },
                CancellationToken.None),
            facts);

        // Only the new procfs is refused: the namespaces themselves, and mapping root, work.
        foreach (var mode in new[] { BwrapMode.Strict, BwrapMode.Network })
        {
            var ok = results.Single(r => r.Mode == mode);
            Assert.True(ok.Succeeded && ok.UidMapped, mode + ": " + ok.StandardError);
        }

        foreach (var mode in new[] { BwrapMode.Proc, BwrapMode.Flatpak })
        {
            var failed = results.Single(r => r.Mode == mode);
            Assert.False(failed.Succeeded, mode + " read as ok in a masked /proc: " + string.Join(' ', failed.Command));
            Assert.Equal(BwrapErrorKind.ProcMountDenied, failed.ErrorKind);
            Assert.Equal(ProbeStage.Use, failed.Stage);
            Assert.Equal("Can't mount proc on /newroot/proc: Operation not permitted", failed.Message);
            Assert.Contains("--unshare-pid", failed.Command);
            Assert.Contains("/proc/keys", failed.LikelyCause, StringComparison.Ordinal);
        }

        // The strict answer (-Quiet, exit 0) is still that bwrap maps the subject; the modes say what it cannot start.
        Assert.True(ProbeVerdicts.BwrapWorks(results));
    }

    [KernelFact("bwrap")]
    public async Task TheFlatpakModeMapsTheSubjectToItselfThroughANestedNamespace()
    {
        var results = await BwrapProber.RunAsync(
            new BwrapProbeRequest { Subject = Caller, CallerUid = CurrentProcess.EffectiveUid, SearchPath = s_path, Modes = new[] { BwrapMode.Flatpak } },
            CancellationToken.None);

        var flatpak = Assert.Single(results);
        Assert.True(flatpak.Succeeded && flatpak.UidMapped, flatpak.StandardError);
        Assert.Equal(
            new[] { "--unshare-user", "--unshare-pid", "--unshare-ipc", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--die-with-parent" },
            flatpak.Command.Skip(1).Take(13));

        // As Flatpak's apps see it: their own uid inside, mapped to root of the outer namespace bwrap made for /dev.
        var uid = CurrentProcess.EffectiveUid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(uid + " 0 1", flatpak.UidMap);
    }

    [KernelFact("bwrap", RequiresRoot = true)]
    public async Task ASetuidCopyIsReportedAsSetuidAndNeverRun()
    {
        var dir = Directory.CreateTempSubdirectory("usernstools-bwrap-");
        try
        {
            var copy = Path.Combine(dir.FullName, "bwrap");
            File.Copy(PathLookup.Find("bwrap", s_path)!, copy);
            File.SetUnixFileMode(copy, (UnixFileMode)Convert.ToInt32("4755", 8));

            var lookup = new BwrapLookup { ExplicitPath = copy, SearchPath = s_path, CallerUid = 0 };
            var installations = await BwrapInstallationReader.DescribeAsync(BwrapInstallationReader.Locate(lookup), lookup, CancellationToken.None);
            var setuid = installations.Single(i => i.Path == copy);
            Assert.True(setuid.IsSetuid);
            Assert.True(setuid.IsSelected);
            Assert.Equal(0, setuid.OwnerUid);
            Assert.Equal(BwrapInstallationReader.SourceExplicit, setuid.Source);
            Assert.Contains(setuid.Facts, f => f.Id == "BwrapSetuid" && f.Severity == Severity.Warning);
            Assert.All(installations.Where(i => i.Path != copy), i => Assert.False(i.IsSelected));

            var results = await BwrapProber.RunAsync(new BwrapProbeRequest { Subject = Caller, CallerUid = 0, BwrapPath = copy, SearchPath = s_path }, CancellationToken.None);
            Assert.All(results, r =>
            {
                Assert.Equal(BwrapErrorKind.SetuidNotUsed, r.ErrorKind);
                Assert.Equal(ProbeStage.Launch, r.Stage);
                Assert.Null(r.ExitCode);
                Assert.Same(setuid.Path, r.Installation!.Path);
            });
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [KernelTheory("bwrap", "setcap", RequiresRoot = true)]
    [InlineData("4755", null)]
    [InlineData("0755", "cap_sys_admin+ep")]
    public async Task APrivilegedBwrapStartsNoProbeBeforeOrAfterItIsDescribed(string mode, string? capabilities)
    {
        var dir = Directory.CreateTempSubdirectory("usernstools-bwrap-");
        try
        {
            var copy = Path.Combine(dir.FullName, "bwrap");
            File.Copy(PathLookup.Find("bwrap", s_path)!, copy);
            File.SetUnixFileMode(copy, (UnixFileMode)Convert.ToInt32(mode, 8));
            if (capabilities is not null)
            {
                var setcap = await ProcessRunner.Instance.RunAsync(new ProcessRequest(new[] { PathLookup.Find("setcap", s_path)!, capabilities, copy }), CancellationToken.None);
                Assert.True(setcap.ExitCode == 0, setcap.StandardError);
            }

            // As root, the version of a privileged bwrap is still asked (--version uses no privilege); nothing else runs it.
            var runner = new FakeProcessRunner(_ => FakeProcessRunner.Output("bubblewrap 0.8.0\n"));
            var results = await BwrapProber.RunAsync(
                new BwrapProbeRequest { Subject = Nobody, CallerUid = 0, SetprivPath = PathLookup.Find("setpriv", s_path), BwrapPath = copy, SearchPath = s_path, Runner = runner },
                CancellationToken.None);

            Assert.All(results, r => Assert.Equal(BwrapErrorKind.SetuidNotUsed, r.ErrorKind));
            Assert.All(runner.Calls.Where(argv => argv.Contains(copy)), argv => Assert.Equal(new[] { copy, "--version" }, argv));
            Assert.Equal("0.8.0", results[0].Installation!.Version);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [KernelFact("bwrap", "setcap", RequiresRoot = true)]
    public async Task ACopyWithFileCapabilitiesIsReportedAndNeverRun()
    {
        var dir = Directory.CreateTempSubdirectory("usernstools-bwrap-");
        try
        {
            var copy = Path.Combine(dir.FullName, "bwrap");
            File.Copy(PathLookup.Find("bwrap", s_path)!, copy);
            var setcap = await ProcessRunner.Instance.RunAsync(new ProcessRequest(new[] { PathLookup.Find("setcap", s_path)!, "cap_sys_admin,cap_setuid+ep", copy }), CancellationToken.None);
            Assert.True(setcap.ExitCode == 0, setcap.StandardError);

            var results = await BwrapProber.RunAsync(new BwrapProbeRequest { Subject = Caller, CallerUid = 0, BwrapPath = copy, SearchPath = s_path }, CancellationToken.None);

            var installation = results[0].Installation!;
            Assert.Equal("cap_setuid,cap_sys_admin=ep", installation.FileCapabilities);
            Assert.False(installation.IsSetuid);
            Assert.True(installation.IsPrivileged);
            Assert.Contains(installation.Facts, f => f.Id == "BwrapFileCapabilities" && f.Severity == Severity.Warning);
            Assert.All(results, r => Assert.Equal(BwrapErrorKind.SetuidNotUsed, r.ErrorKind));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task APathWithoutBwrapGivesNotInstalledNotAnException()
    {
        var empty = Directory.CreateTempSubdirectory("usernstools-nobwrap-");
        try
        {
            var results = await BwrapProber.RunAsync(new BwrapProbeRequest { Subject = Caller, SearchPath = empty.FullName }, CancellationToken.None);
            Assert.Equal(Enum.GetValues<BwrapMode>().Length, results.Count);
            Assert.All(results, r =>
            {
                Assert.False(r.Succeeded);
                Assert.Equal(BwrapErrorKind.NotInstalled, r.ErrorKind);
                Assert.Equal(ProbeStage.Launch, r.Stage);
                Assert.Null(r.Installation);

                // The probe records what happened; the cause is diagnosis's.
                Assert.Null(r.LikelyCause);
            });
            Assert.All(Explained(results, new MachineFacts()), r => Assert.Contains("install", r.LikelyCause, StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            empty.Delete();
        }
    }

    [KernelFact("bwrap")]
    public async Task AMissingBwrapPathIsNotInstalledEvenWhenPathHasOne()
    {
        var results = await BwrapProber.RunAsync(
            new BwrapProbeRequest { Subject = Caller, SearchPath = s_path, BwrapPath = "/nonexistent/bwrap", Modes = new[] { BwrapMode.Strict } },
            CancellationToken.None);
        var result = Assert.Single(results);
        Assert.Equal(BwrapErrorKind.NotInstalled, result.ErrorKind);
        Assert.Contains("/nonexistent/bwrap", result.Message, StringComparison.Ordinal);
    }

    [KernelFact("bwrap")]
    public async Task EveryBwrapOnPathIsDescribedOnce()
    {
        // /bin/bwrap and /usr/bin/bwrap are one file on merged-/usr systems.
        var lookup = new BwrapLookup { SearchPath = "/usr/bin:/bin:/usr/bin" };
        var installations = await BwrapInstallationReader.DescribeAsync(BwrapInstallationReader.Locate(lookup), lookup, CancellationToken.None);
        var installation = Assert.Single(installations);
        Assert.True(installation.IsSelected);
        Assert.Equal(BwrapInstallationReader.SourcePath, installation.Source);
        Assert.Matches(@"^\d+\.\d+", installation.Version);
        Assert.False(installation.IsSetuid);
        Assert.Null(installation.FileCapabilities);
        Assert.Empty(installation.Facts);
    }

    [Fact]
    public void ARecordedRunIsClassifiedFromItsStandardError()
    {
        var run = new ProcessResult(true, 1, "", "bwrap: setting up uid map: Permission denied\n", false, false, TimeSpan.FromMilliseconds(3), null);
        var result = BwrapProber.FromRun(BwrapMode.Strict, run, null, new[] { "bwrap" }, Caller);
        Assert.Equal(BwrapErrorKind.UidMapDenied, result.ErrorKind);
        Assert.Equal(ProbeStage.Map, result.Stage);
        Assert.Equal("setting up uid map: Permission denied", result.Message);
        Assert.False(result.UidMapped);
    }

    /// <summary>The probes with their causes on a machine of <paramref name="facts"/>, as diagnosis explains them.</summary>
    private static IReadOnlyList<BwrapProbeResult> Explained(IReadOnlyList<BwrapProbeResult> results, MachineFacts facts) =>
        results.Select(r => BwrapCauseAnalyzer.Explained(r, facts)).ToArray();
}
