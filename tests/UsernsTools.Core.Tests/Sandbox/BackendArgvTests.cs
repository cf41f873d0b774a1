using FsCheck;
using FsCheck.Fluent;
using UsernsTools.Facts;
using UsernsTools.Platform;
using UsernsTools.Sandbox;
using Xunit;

namespace UsernsTools.Tests.Sandbox;

/// <summary>The argv builders are pure: every option and every version gate, without running anything.</summary>
public class BackendArgvTests
{
    private static SandboxToolFacts Tools(string? unshareVersion = "2.38.1", long uid = 1000) => new()
    {
        UnsharePath = "/usr/bin/unshare",
        UnshareVersion = UsernsTools.Facts.ToolVersion.AsVersion(unshareVersion),
        BwrapPath = "/usr/bin/bwrap",
        BwrapVersion = new Version(0, 8, 0),
        SetprivPath = "/usr/bin/setpriv",
        HostnamePath = "/usr/bin/hostname",
        Uid = uid,
    };

    private static NamespaceSpec Spec(BackendKind backend = BackendKind.Unshare, Action<NamespaceSpec>? change = null)
    {
        var spec = new NamespaceSpec { FilePath = "id", Backend = backend, DieWithCaller = false };
        change?.Invoke(spec);
        return spec;
    }

    private static IReadOnlyList<string> Argv(NamespaceSpec spec, SandboxToolFacts? tools = null) =>
        BackendSelector.BuildArgv(spec, tools ?? Tools()).Argv;

    [Fact]
    public void UnshareWithoutOptionsJustRunsTheProgram()
    {
        Assert.Equal(new[] { "/usr/bin/unshare", "--", "id" }, Argv(Spec()));
    }

    [Fact]
    public void UnsharePidNamespaceForksAndAddsAUserNamespaceForAnUnprivilegedCaller()
    {
        var spec = Spec(change: s => s.Namespaces = NamespaceKind.Pid);
        Assert.Equal(new[] { "/usr/bin/unshare", "--user", "--pid", "--fork", "--", "id" }, Argv(spec));
        Assert.Equal(new[] { "/usr/bin/unshare", "--pid", "--fork", "--", "id" }, Argv(spec, Tools(uid: 0)));
        Assert.Equal(NamespaceKind.User | NamespaceKind.Pid, BackendSelector.BuildArgv(spec, Tools()).Namespaces);
    }

    [Fact]
    public void UnshareDieWithCallerUsesSetprivAndKillChild()
    {
        var spec = Spec(change: s =>
        {
            s.Namespaces = NamespaceKind.Pid;
            s.DieWithCaller = true;
        });
        Assert.Equal(
            new[] { "/usr/bin/setpriv", "--pdeathsig=KILL", "--", "/usr/bin/unshare", "--user", "--pid", "--fork", "--kill-child", "--", "id" },
            Argv(spec));
    }

    [Fact]
    public void UnshareDieWithCallerNeedsSetpriv()
    {
        var spec = Spec(change: s => s.DieWithCaller = true);
        var ex = Assert.Throws<UsernsException>(() => Argv(spec, Tools() with { SetprivPath = null }));
        Assert.Equal(SandboxErrorIds.SetprivNotFound, ex.ErrorId);
    }

    [Fact]
    public void RunAsAnotherUserSwitchesBeforeSettingTheDeathSignal()
    {
        var spec = Spec(change: s => s.DieWithCaller = true);
        var tools = Tools(uid: 0) with { RunAs = new UsernsSubject { Uid = 65534, Gid = 65534 } };
        Assert.Equal(
            new[] { "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--pdeathsig=KILL", "--", "/usr/bin/unshare", "--", "id" },
            Argv(spec, tools));
    }

    [Fact]
    public void UnshareHoldsTheTreeInAPidNamespaceUnderFlockThatDiesWithTheCaller()
    {
        var tools = Tools() with { FlockPath = "/usr/bin/flock" };
        var spec = Spec(change: s => s.DieWithCaller = true);
        string[] init = { "--", "/usr/bin/flock", "--shared", "--close", "/", "id" };

        // Asked for nothing: the user namespace is there only for the pid one, so the caller keeps its ids.
        Assert.Equal(
            new[] { "/usr/bin/setpriv", "--pdeathsig=KILL", "--", "/usr/bin/unshare", "--user", "--pid", "--fork", "--kill-child", "--map-current-user" }.Concat(init),
            Argv(spec, tools));
        Assert.Equal(NamespaceKind.User | NamespaceKind.Pid, BackendSelector.BuildArgv(spec, tools).Namespaces);
        Assert.Equal(
            new[] { "/usr/bin/setpriv", "--pdeathsig=KILL", "--", "/usr/bin/unshare", "--pid", "--fork", "--kill-child" }.Concat(init),
            Argv(spec, tools with { Uid = 0 }));
        spec.Mapping = IdentityMapping.RootUser;
        Assert.Equal(
            new[] { "/usr/bin/setpriv", "--pdeathsig=KILL", "--", "/usr/bin/unshare", "--user", "--pid", "--fork", "--kill-child", "--map-root-user" }.Concat(init),
            Argv(spec, tools));

        // An explicit pid namespace keeps the program as its pid 1; opting out, a missing flock or an unshare that
        // cannot kill its child leave the caller's pid namespace.
        spec.Namespaces = NamespaceKind.Pid;
        Assert.Equal(new[] { "--map-root-user", "--", "id" }, Argv(spec, tools).TakeLast(3));
        spec.Namespaces = NamespaceKind.None;
        spec.SharePidNamespace = true;
        Assert.DoesNotContain("--pid", Argv(spec, tools));
        spec.SharePidNamespace = false;
        Assert.DoesNotContain("--pid", Argv(spec, tools with { FlockPath = null }));
        Assert.DoesNotContain("--pid", Argv(spec, tools with { UnshareVersion = new Version(2, 31) }));
        spec.DieWithCaller = false;
        Assert.DoesNotContain("--pid", Argv(spec, tools));
    }

    [Fact]
    public void BwrapHoldsTheTreeInAPidNamespaceWithItsOwnInitAsPid1()
    {
        var spec = Spec(BackendKind.Bwrap, s => s.DieWithCaller = true);
        var argv = Argv(spec);
        Assert.Contains("--unshare-pid", argv);
        Assert.DoesNotContain("--as-pid-1", argv);
        Assert.Contains("--die-with-parent", argv);
        Assert.Equal(NamespaceKind.User | NamespaceKind.Pid | NamespaceKind.Mount, BackendSelector.BuildArgv(spec, Tools()).Namespaces);

        spec.Namespaces = NamespaceKind.Pid;
        Assert.Contains("--as-pid-1", Argv(spec));
        spec.Namespaces = NamespaceKind.None;
        spec.SharePidNamespace = true;
        Assert.DoesNotContain("--unshare-pid", Argv(spec));
        spec.Namespaces = NamespaceKind.Pid;
        Assert.Equal(SandboxErrorIds.PidNamespaceConflict, Assert.Throws<UsernsException>(() => Argv(spec)).ErrorId);
    }

    [Theory]
    [InlineData(NamespaceKind.User, "--user")]
    [InlineData(NamespaceKind.Pid, "--pid")]
    [InlineData(NamespaceKind.Uts, "--uts")]
    [InlineData(NamespaceKind.Mount, "--mount")]
    [InlineData(NamespaceKind.Ipc, "--ipc")]
    [InlineData(NamespaceKind.Net, "--net")]
    [InlineData(NamespaceKind.Cgroup, "--cgroup")]
    [InlineData(NamespaceKind.Time, "--time")]
    public void UnshareHasAFlagForEachKind(NamespaceKind kind, string flag)
    {
        var argv = Argv(Spec(change: s => s.Namespaces = kind), Tools(uid: 0));
        Assert.Contains(flag, argv);
        Assert.Equal(1, argv.Count(a => a.StartsWith("--", StringComparison.Ordinal) && a != "--" && a != "--fork"));
    }

    [Theory]
    [InlineData(IdentityMapping.RootUser, null, null, new[] { "--map-root-user" })]
    [InlineData(IdentityMapping.CurrentUser, null, null, new[] { "--map-current-user" })]
    [InlineData(IdentityMapping.User, 1000L, 100L, new[] { "--map-user=1000", "--map-group=100" })]
    [InlineData(IdentityMapping.User, 5L, null, new[] { "--map-user=5", "--map-group=5" })]
    [InlineData(IdentityMapping.Auto, null, null, new[] { "--map-root-user", "--map-auto" })]
    public void UnshareMapsIdentities(IdentityMapping mapping, long? uid, long? gid, string[] expected)
    {
        var spec = Spec(change: s =>
        {
            s.Mapping = mapping;
            s.MapUserId = uid;
            s.MapGroupId = gid;
        });
        var argv = Argv(spec).ToList();
        Assert.Equal(new[] { "/usr/bin/unshare", "--user" }.Concat(expected).Concat(new[] { "--", "id" }), argv);
    }

    [Fact]
    public void UnshareMountsProcAndChangesDirectory()
    {
        var spec = Spec(change: s =>
        {
            s.MountProc = true;
            s.WorkingDirectory = "/tmp/work dir";
        });
        Assert.Equal(new[] { "/usr/bin/unshare", "--mount", "--mount-proc", "--wd=/tmp/work dir", "--", "id" }, Argv(spec, Tools(uid: 0)));
    }

    [Fact]
    public void OldUnshareStartsInTheWorkingDirectoryInstead()
    {
        var spec = Spec(change: s => s.WorkingDirectory = "/srv");
        var command = BackendSelector.BuildArgv(spec, Tools("2.35.2"));
        Assert.DoesNotContain(command.Argv, a => a.StartsWith("--wd", StringComparison.Ordinal));
        Assert.Equal("/srv", command.StartDirectory);
    }

    [Fact]
    public void UnshareSetsTheHostnameThroughAFixedScript()
    {
        var spec = Spec(change: s =>
        {
            s.Mapping = IdentityMapping.RootUser;
            s.Hostname = "box";
            s.ArgumentList = new List<string> { "-u", "$(x)" };
        });
        Assert.Equal(
            new[] { "/usr/bin/unshare", "--user", "--uts", "--map-root-user", "--", "/bin/sh", "-c", UnshareBackend.HostnameScript, "sh", "/usr/bin/hostname", "box", "id", "-u", "$(x)" },
            Argv(spec));
    }

    [Fact]
    public void UnshareHostnameNeedsRootInside()
    {
        var spec = Spec(change: s =>
        {
            s.Mapping = IdentityMapping.CurrentUser;
            s.Hostname = "box";
        });
        Assert.Equal(SandboxErrorIds.UnshareLacksFeature, Assert.Throws<UsernsException>(() => Argv(spec)).ErrorId);
        spec.Backend = BackendKind.Auto;
        Assert.Equal(BackendKind.Bwrap, BackendSelector.BuildArgv(spec, Tools()).Backend);
    }

    [Fact]
    public void UnshareHostnameNeedsTheHostnameProgram()
    {
        var spec = Spec(change: s =>
        {
            s.Mapping = IdentityMapping.RootUser;
            s.Hostname = "box";
        });
        var ex = Assert.Throws<UsernsException>(() => Argv(spec, Tools() with { HostnamePath = null }));
        Assert.Equal(SandboxErrorIds.BackendNotFound, ex.ErrorId);
    }

    public static TheoryData<string, string, string> VersionGates => new()
    {
        { "cgroup", "2.27", "2.28" },
        { "time", "2.35", "2.36" },
        { "kill-child", "2.31", "2.32" },
        { "map-root-user", "2.24", "2.25" },
        { "map-current-user", "2.34", "2.35" },
        { "map-user", "2.35", "2.36" },
        { "map-auto", "2.37", "2.38" },
    };

    [Theory]
    [MemberData(nameof(VersionGates))]
    public void UnshareOptionTooNewIsAnErrorNamingTheVersion(string option, string tooOld, string needed)
    {
        var spec = SpecNeeding(option);
        var ex = Assert.Throws<UsernsException>(() => Argv(spec, Tools(tooOld)));
        Assert.Equal(SandboxErrorIds.UnshareVersionTooOld, ex.ErrorId);
        Assert.Equal(needed, ex.TargetValue);
        Assert.Contains("util-linux " + needed + " or later", ex.Message, StringComparison.Ordinal);
        Assert.Contains(tooOld, ex.Message, StringComparison.Ordinal);
        Assert.Contains(Argv(spec, Tools(needed)), a => a.StartsWith("--" + option, StringComparison.Ordinal));
    }

    [Fact]
    public void UnshareOfUnknownVersionRefusesGatedOptions()
    {
        var ex = Assert.Throws<UsernsException>(() => Argv(SpecNeeding("map-root-user"), Tools(null)));
        Assert.Equal(SandboxErrorIds.UnshareVersionTooOld, ex.ErrorId);
        Assert.Contains("unknown version", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ReadOnlyRoot")]
    [InlineData("BindMounts")]
    [InlineData("LoopbackNetwork")]
    public void UnshareRefusesWhatOnlyBwrapCanDo(string option)
    {
        var spec = Spec(change: s =>
        {
            s.ReadOnlyRoot = option == "ReadOnlyRoot";
            s.LoopbackNetwork = option == "LoopbackNetwork";
            if (option == "BindMounts")
            {
                s.BindMounts.Add(new BindMount("/srv", "/srv"));
            }
        });
        var ex = Assert.Throws<UsernsException>(() => Argv(spec));
        Assert.Equal(SandboxErrorIds.UnshareLacksFeature, ex.ErrorId);
        Assert.Equal(option, ex.TargetValue);
        spec.Backend = BackendKind.Auto;
        Assert.Equal(BackendKind.Bwrap, BackendSelector.BuildArgv(spec, Tools()).Backend);
    }

    [Fact]
    public void BwrapWithoutOptionsBindsTheRootBackAndMakesAUserNamespace()
    {
        var command = BackendSelector.BuildArgv(Spec(BackendKind.Bwrap), Tools());
        Assert.Equal(new[] { "/usr/bin/bwrap", "--unshare-user", "--bind", "/", "/", "--dev-bind", "/dev", "/dev", "--", "id" }, command.Argv);
        Assert.Equal(NamespaceKind.User | NamespaceKind.Mount, command.Namespaces);
        Assert.DoesNotContain("--unshare-user", Argv(Spec(BackendKind.Bwrap), Tools(uid: 0)));
    }

    [Theory]
    [InlineData(NamespaceKind.Uts, "--unshare-uts")]
    [InlineData(NamespaceKind.Ipc, "--unshare-ipc")]
    [InlineData(NamespaceKind.Net, "--unshare-net")]
    [InlineData(NamespaceKind.Cgroup, "--unshare-cgroup")]
    [InlineData(NamespaceKind.User, "--unshare-user")]
    public void BwrapHasAFlagForEachKind(NamespaceKind kind, string flag)
    {
        Assert.Contains(flag, Argv(Spec(BackendKind.Bwrap, s => s.Namespaces = kind), Tools(uid: 0)));
    }

    [Fact]
    public void BwrapPidNamespaceMakesTheProgramPidOne()
    {
        var argv = Argv(Spec(BackendKind.Bwrap, s => s.Namespaces = NamespaceKind.Pid));
        Assert.Equal(new[] { "--unshare-pid", "--as-pid-1" }, argv.SkipWhile(a => a != "--unshare-pid").Take(2));
    }

    [Theory]
    [InlineData(IdentityMapping.RootUser, null, null, new[] { "--uid", "0", "--gid", "0" })]
    [InlineData(IdentityMapping.User, 1000L, 100L, new[] { "--uid", "1000", "--gid", "100" })]
    [InlineData(IdentityMapping.CurrentUser, null, null, new string[0])]
    public void BwrapMapsIdentities(IdentityMapping mapping, long? uid, long? gid, string[] expected)
    {
        var spec = Spec(BackendKind.Bwrap, s =>
        {
            s.Mapping = mapping;
            s.MapUserId = uid;
            s.MapGroupId = gid;
        });
        var argv = Argv(spec);
        Assert.Equal(new[] { "/usr/bin/bwrap", "--unshare-user" }.Concat(expected).Concat(new[] { "--bind" }), argv.Take(3 + expected.Length));
    }

    [Fact]
    public void BwrapReadOnlyRootBindsProcHostnameAndDirectory()
    {
        var spec = Spec(BackendKind.Bwrap, s =>
        {
            s.ReadOnlyRoot = true;
            s.MountProc = true;
            s.Hostname = "box";
            s.WorkingDirectory = "/mnt";
            s.LoopbackNetwork = true;
            s.DieWithCaller = true;
            s.BindMounts.Add(new BindMount("/tmp/a", "/mnt"));
            s.BindMounts.Add(new BindMount("/tmp/b", "/srv", readOnly: true));
            s.ArgumentList.Add("-u");
        });
        Assert.Equal(
            new[]
            {
                "/usr/bin/bwrap", "--unshare-user", "--unshare-pid", "--unshare-uts", "--unshare-net", "--hostname", "box",
                "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                "--bind", "/tmp/a", "/mnt", "--ro-bind", "/tmp/b", "/srv",
                "--chdir", "/mnt", "--die-with-parent", "--", "id", "-u",
            },
            Argv(spec));
    }

    [Fact]
    public void BwrapReadOnlyRootRebuildsTheDirectoryThatMustHoldAMissingMountPoint()
    {
        var dir = Directory.CreateTempSubdirectory("usernstools-mountpoint-");
        try
        {
            var d = dir.FullName;
            File.WriteAllText(Path.Combine(d, "file"), "");
            Directory.CreateDirectory(Path.Combine(d, "sub"));
            File.CreateSymbolicLink(Path.Combine(d, "link"), "file");
            var spec = Spec(BackendKind.Bwrap, s =>
            {
                s.ReadOnlyRoot = true;
                s.BindMounts.Add(new BindMount("/tmp/src", d + "/new/data"));
            });

            // The host's directory becomes a tmpfs holding the same entries, read-only again after the mounts.
            Assert.Equal(
                new[]
                {
                    "/usr/bin/bwrap", "--unshare-user", "--ro-bind", "/", "/", "--dev", "/dev",
                    "--tmpfs", d, "--ro-bind", d + "/file", d + "/file", "--symlink", "file", d + "/link", "--ro-bind", d + "/sub", d + "/sub",
                    "--bind", "/tmp/src", d + "/new/data", "--remount-ro", d, "--", "id",
                },
                Argv(spec));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void BwrapReadOnlyRootFillsItsOwnRootWhenATopLevelMountPointIsMissing()
    {
        var target = "/usernstools-missing-" + Guid.NewGuid().ToString("N");
        var spec = Spec(BackendKind.Bwrap, s =>
        {
            s.ReadOnlyRoot = true;
            s.BindMounts.Add(new BindMount("/tmp/src", target));
        });
        var argv = Argv(spec);
        var text = string.Join(' ', argv);
        Assert.DoesNotContain("--ro-bind / /", text, StringComparison.Ordinal);
        Assert.Contains("--ro-bind /usr /usr", text, StringComparison.Ordinal);
        Assert.Contains("--ro-bind /etc /etc", text, StringComparison.Ordinal);
        Assert.DoesNotContain("--ro-bind /dev /dev", text, StringComparison.Ordinal);
        Assert.Contains("--dev /dev", text, StringComparison.Ordinal);
        Assert.EndsWith($"--bind /tmp/src {target} --remount-ro / -- id", text, StringComparison.Ordinal);
    }

    [Fact]
    public void BwrapRefusesATimeNamespaceAndSubordinateIds()
    {
        Assert.Equal(
            SandboxErrorIds.BwrapLacksFeature,
            Assert.Throws<UsernsException>(() => Argv(Spec(BackendKind.Bwrap, s => s.Namespaces = NamespaceKind.Time))).ErrorId);
        Assert.Equal(
            SandboxErrorIds.BwrapLacksFeature,
            Assert.Throws<UsernsException>(() => Argv(Spec(BackendKind.Bwrap, s => s.Mapping = IdentityMapping.Auto))).ErrorId);
    }

    [Fact]
    public void AutoPrefersUnshareAndFallsBackToBwrap()
    {
        Assert.Equal(BackendKind.Unshare, BackendSelector.BuildArgv(Spec(BackendKind.Auto, s => s.Mapping = IdentityMapping.CurrentUser), Tools()).Backend);
        Assert.Equal(BackendKind.Bwrap, BackendSelector.BuildArgv(Spec(BackendKind.Auto, s => s.Mapping = IdentityMapping.CurrentUser), Tools("2.34")).Backend);
        Assert.Equal(BackendKind.Unshare, BackendSelector.BuildArgv(Spec(BackendKind.Auto), Tools() with { BwrapPath = null }).Backend);
    }

    [Fact]
    public void AutoWithNoCapableBackendExplainsEachRefusal()
    {
        var spec = Spec(BackendKind.Auto, s =>
        {
            s.ReadOnlyRoot = true;
            s.Namespaces = NamespaceKind.Time;
        });
        var ex = Assert.Throws<UsernsException>(() => Argv(spec));
        Assert.Equal(SandboxErrorIds.NoBackendForSpec, ex.ErrorId);
        Assert.Contains("unshare cannot", ex.Message, StringComparison.Ordinal);
        Assert.Contains("bwrap cannot", ex.Message, StringComparison.Ordinal);

        var none = Assert.Throws<UsernsException>(() => Argv(Spec(BackendKind.Auto), Tools() with { UnsharePath = null, BwrapPath = null }));
        Assert.Equal(UsernsErrorCategory.NotInstalled, none.Category);
    }

    [Fact]
    public void ArgumentsAreCopiedVerbatimAfterTheOptions()
    {
        var arbitrary = FsCheck.Fluent.ArbMap.Default.ArbFor<string[]>();
        FsCheck.Fluent.Prop.ForAll(arbitrary, raw =>
        {
            var args = (raw ?? Array.Empty<string>()).Select(a => (a ?? "").Replace("\0", "", StringComparison.Ordinal)).ToList();
            return new[] { BackendKind.Unshare, BackendKind.Bwrap }.All(backend =>
            {
                var spec = Spec(backend, s =>
                {
                    s.FilePath = "-odd name";
                    s.ArgumentList = args;
                });
                var argv = Argv(spec);
                return argv.Skip(argv.Count - args.Count - 2).SequenceEqual(new[] { "--", "-odd name" }.Concat(args));
            });
        }).QuickCheckThrowOnFailure();
    }

    private static NamespaceSpec SpecNeeding(string option) => Spec(change: s =>
    {
        switch (option)
        {
            case "cgroup":
                s.Namespaces = NamespaceKind.Cgroup;
                break;
            case "time":
                s.Namespaces = NamespaceKind.Time;
                break;
            case "kill-child":
                s.Namespaces = NamespaceKind.Pid;
                s.DieWithCaller = true;
                s.Mapping = IdentityMapping.None;
                break;
            case "map-root-user":
                s.Mapping = IdentityMapping.RootUser;
                break;
            case "map-current-user":
                s.Mapping = IdentityMapping.CurrentUser;
                break;
            case "map-user":
                s.Mapping = IdentityMapping.User;
                s.MapUserId = 7;
                break;
            case "map-auto":
                s.Mapping = IdentityMapping.Auto;
                break;
        }
    });
}
