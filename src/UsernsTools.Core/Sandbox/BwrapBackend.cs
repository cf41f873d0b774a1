using System.Globalization;
using UsernsTools.Platform;
using static UsernsTools.Sandbox.BackendSupport;

namespace UsernsTools.Sandbox;

/// <summary>
/// bubblewrap. It always makes a mount namespace with a new root, so the host's root is bound back
/// (read-write, or read-only with a fresh /dev), and it makes a user namespace itself when not root.
/// It brings loopback up in a new network namespace. It cannot make a time namespace or write a
/// multi-line id map, and without a map option it maps the caller to itself.
/// </summary>
internal sealed class BwrapBackend : IBackend
{
    private static readonly string[] s_readOnlyRoot = { "--ro-bind", "/", "/", "--dev", "/dev" };

    // --bind mounts nodev: bind /dev again with devices so /dev/null keeps working.
    private static readonly string[] s_writableRoot = { "--bind", "/", "/", "--dev-bind", "/dev", "/dev" };

    public static BwrapBackend Instance { get; } = new();

    public BackendKind Kind => BackendKind.Bwrap;

    public UsernsException? FindProblem(NamespaceSpec spec, SandboxToolFacts tools)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(tools);
        if (tools.BwrapPath is null)
        {
            return new UsernsException(SandboxErrorIds.BackendNotFound, UsernsErrorCategory.NotInstalled, "bwrap (bubblewrap) was not found on PATH.", "bwrap");
        }

        if ((spec.ImpliedNamespaces() & NamespaceKind.Time) != 0)
        {
            return Lacks(Kind, "a time namespace", nameof(NamespaceKind.Time));
        }

        if (spec.Mapping == IdentityMapping.Auto)
        {
            return Lacks(Kind, "mapping subordinate ids (Mapping Auto)", nameof(IdentityMapping.Auto));
        }

        if (tools.RunAs is { } subject && subject.Uid != tools.Uid && tools.SetprivPath is null)
        {
            return new UsernsException(SandboxErrorIds.SetprivNotFound, UsernsErrorCategory.NotInstalled, "setpriv is needed to run as another user.", "setpriv");
        }

        return null;
    }

    public SandboxCommand BuildArgv(NamespaceSpec spec, SandboxToolFacts tools)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        if (FindProblem(spec, tools) is { } problem)
        {
            throw problem;
        }

        var kinds = spec.ImpliedNamespaces() | NamespaceKind.Mount;
        var holdsTree = spec.HoldsTreeInPidNamespace;
        if (!tools.IsPrivileged)
        {
            kinds |= NamespaceKind.User;
        }

        // bwrap has its own parent-death option, so setpriv is only needed to switch user.
        var argv = LaunchPrefix.Start(tools, parentDeathSignal: false);
        argv.Add(tools.BwrapPath!);
        if ((kinds & NamespaceKind.User) != 0)
        {
            argv.Add("--unshare-user");
        }

        switch (spec.Mapping)
        {
            case IdentityMapping.RootUser:
                AddIds(argv, 0, 0);
                break;
            case IdentityMapping.User:
                AddIds(argv, spec.MapUserId!.Value, spec.EffectiveMapGroupId);
                break;
        }

        if ((kinds & NamespaceKind.Pid) != 0)
        {
            // The program is pid 1, as with unshare --fork, rather than a child of bwrap's reaper.
            argv.Add("--unshare-pid");
            argv.Add("--as-pid-1");
        }
        else if (holdsTree)
        {
            // bwrap's own init is pid 1 and the program pid 2; with --die-with-parent the init dies with bwrap, and
            // the kernel then kills the whole namespace. pid 1 ignores what the terminal sends, the program does not.
            argv.Add("--unshare-pid");
            kinds |= NamespaceKind.Pid;
        }

        AddFlag(argv, kinds, NamespaceKind.Uts, "--unshare-uts");
        AddFlag(argv, kinds, NamespaceKind.Ipc, "--unshare-ipc");
        AddFlag(argv, kinds, NamespaceKind.Net, "--unshare-net");
        AddFlag(argv, kinds, NamespaceKind.Cgroup, "--unshare-cgroup");
        if (spec.Hostname is not null)
        {
            argv.Add("--hostname");
            argv.Add(spec.Hostname);
        }

        var rebuilt = ReadOnlyMountPoints.DirectoriesToRebuild(spec);
        if (!spec.ReadOnlyRoot)
        {
            argv.AddRange(s_writableRoot);
        }
        else if (rebuilt.Contains("/"))
        {
            // bwrap's new root is already an empty tmpfs: fill it instead of binding the host's root over it.
            AddEntries(argv, "/");
            argv.Add("--dev");
            argv.Add("/dev");
        }
        else
        {
            argv.AddRange(s_readOnlyRoot);
        }

        foreach (var directory in rebuilt.Where(d => d != "/"))
        {
            argv.Add("--tmpfs");
            argv.Add(directory);
            AddEntries(argv, directory);
        }

        if (spec.MountProc)
        {
            argv.Add("--proc");
            argv.Add("/proc");
        }

        foreach (var mount in spec.BindMounts)
        {
            argv.Add(mount.ReadOnly ? "--ro-bind" : "--bind");
            argv.Add(mount.Source);
            argv.Add(mount.Target);
        }

        // Deepest first, so a parent's remount cannot hide a child's tmpfs from the path bwrap opens.
        foreach (var directory in rebuilt.Reverse())
        {
            argv.Add("--remount-ro");
            argv.Add(directory);
        }

        if (spec.WorkingDirectory is not null)
        {
            argv.Add("--chdir");
            argv.Add(spec.WorkingDirectory);
        }

        if (spec.DieWithCaller)
        {
            argv.Add("--die-with-parent");
        }

        argv.Add("--");
        argv.Add(spec.FilePath);
        argv.AddRange(spec.ArgumentList);
        return new SandboxCommand(BackendKind.Bwrap, argv, kinds);
    }

    /// <summary>Read-only binds (or the same symbolic links) of a host directory's entries; /dev is made fresh instead.</summary>
    private static void AddEntries(List<string> argv, string directory)
    {
        foreach (var (path, linkTarget) in ReadOnlyMountPoints.Entries(directory))
        {
            if (path == "/dev")
            {
                continue;
            }

            if (linkTarget is not null)
            {
                argv.Add("--symlink");
                argv.Add(linkTarget);
                argv.Add(path);
            }
            else
            {
                argv.Add("--ro-bind");
                argv.Add(path);
                argv.Add(path);
            }
        }
    }

    private static void AddIds(List<string> argv, long uid, long gid)
    {
        argv.Add("--uid");
        argv.Add(uid.ToString(CultureInfo.InvariantCulture));
        argv.Add("--gid");
        argv.Add(gid.ToString(CultureInfo.InvariantCulture));
    }
}
