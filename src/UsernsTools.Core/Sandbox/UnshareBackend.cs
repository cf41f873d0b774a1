using System.Globalization;
using UsernsTools.Platform;
using static UsernsTools.Sandbox.BackendSupport;

namespace UsernsTools.Sandbox;

/// <summary>
/// util-linux unshare. Options are chosen by the installed version (KNOWLEDGE.md section 7); an option the
/// version lacks is an error naming the version needed, never a silent downgrade.
/// </summary>
internal sealed class UnshareBackend : IBackend
{
    // First util-linux versions with each option we use.
    internal static readonly Version MapRootUserSince = new(2, 25);
    internal static readonly Version CgroupSince = new(2, 28);
    internal static readonly Version KillChildSince = new(2, 32);
    internal static readonly Version MapCurrentUserSince = new(2, 35);
    internal static readonly Version MapUserSince = new(2, 36);
    internal static readonly Version TimeSince = new(2, 36);
    internal static readonly Version WorkingDirectorySince = new(2, 36);
    internal static readonly Version MapAutoSince = new(2, 38);

    /// <summary>
    /// Sets the hostname, then becomes the program. The script is a constant: the hostname tool, the name
    /// and the program's argv arrive as positional parameters, so nothing from the spec is parsed by a shell.
    /// </summary>
    internal const string HostnameScript = "\"$1\" \"$2\" || exit 125; shift 2; exec \"$@\"";

    /// <summary>
    /// The argv of pid 1 in a pid namespace the run adds to hold the tree (<see cref="NamespaceSpec.HoldsTreeInPidNamespace"/>),
    /// before the program: util-linux flock forks the program, waits for it and exits with its status (128+N for
    /// signal N), and changes neither its environment nor its descriptors (--close). The kernel gives a pid 1 no
    /// signal it has no handler for, so a program that were pid 1 itself would ignore Ctrl+C; here it keeps the
    /// defaults. The shared lock on / is only what flock needs to hold while it waits; nothing takes / exclusively.
    /// </summary>
    internal static readonly string[] TreeInitArguments = { "--shared", "--close", "/" };

    public static UnshareBackend Instance { get; } = new();

    public BackendKind Kind => BackendKind.Unshare;

    public UsernsException? FindProblem(NamespaceSpec spec, SandboxToolFacts tools)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(tools);
        if (tools.UnsharePath is null)
        {
            return new UsernsException(SandboxErrorIds.BackendNotFound, UsernsErrorCategory.NotInstalled, "unshare (util-linux) was not found on PATH.", "unshare");
        }

        if (spec.ReadOnlyRoot)
        {
            return Lacks(Kind, "a read-only root", nameof(spec.ReadOnlyRoot));
        }

        if (spec.BindMounts.Count > 0)
        {
            return Lacks(Kind, "bind mounts", nameof(spec.BindMounts));
        }

        if (spec.LoopbackNetwork)
        {
            return Lacks(Kind, "bringing up loopback in a new network namespace", nameof(spec.LoopbackNetwork));
        }

        var kinds = spec.ImpliedNamespaces();
        if (spec.Hostname is not null)
        {
            if (!IsRootInside(spec, tools))
            {
                return Lacks(Kind, "setting a hostname unless the caller is root inside (Mapping RootUser or Auto)", nameof(spec.Hostname));
            }

            if (tools.HostnamePath is null)
            {
                return new UsernsException(
                    SandboxErrorIds.BackendNotFound,
                    UsernsErrorCategory.NotInstalled,
                    "unshare has no hostname option and the hostname program was not found on PATH; install it or use Backend Bwrap.",
                    "hostname");
            }
        }

        if (spec.DieWithCaller && tools.SetprivPath is null)
        {
            return new UsernsException(
                SandboxErrorIds.SetprivNotFound,
                UsernsErrorCategory.NotInstalled,
                "DieWithCaller with unshare needs setpriv (util-linux) for a parent-death signal; it was not found on PATH.",
                "setpriv");
        }

        if (tools.RunAs is { } subject && subject.Uid != tools.Uid && tools.SetprivPath is null)
        {
            return new UsernsException(SandboxErrorIds.SetprivNotFound, UsernsErrorCategory.NotInstalled, "setpriv is needed to run as another user.", "setpriv");
        }

        kinds |= HoldsTree(spec, tools) ? NamespaceKind.Pid : NamespaceKind.None;
        var needs = new List<(string Option, Version Since)>();
        if ((kinds & NamespaceKind.Cgroup) != 0)
        {
            needs.Add(("--cgroup", CgroupSince));
        }

        if ((kinds & NamespaceKind.Time) != 0)
        {
            needs.Add(("--time", TimeSince));
        }

        if (spec.DieWithCaller && Forks(kinds))
        {
            needs.Add(("--kill-child", KillChildSince));
        }

        switch (spec.Mapping)
        {
            case IdentityMapping.RootUser:
                needs.Add(("--map-root-user", MapRootUserSince));
                break;
            case IdentityMapping.CurrentUser:
                needs.Add(("--map-current-user", MapCurrentUserSince));
                break;
            case IdentityMapping.User:
                needs.Add(("--map-user", MapUserSince));
                break;
            case IdentityMapping.Auto:
                needs.Add(("--map-auto", MapAutoSince));
                break;
        }

        foreach (var (option, since) in needs)
        {
            if (tools.UnshareVersion is null || tools.UnshareVersion < since)
            {
                var have = tools.UnshareVersion is null ? "of unknown version" : "is " + tools.UnshareVersion.ToString();
                return new UsernsException(
                    SandboxErrorIds.UnshareVersionTooOld,
                    UsernsErrorCategory.NotInstalled,
                    $"unshare {option} needs util-linux {since} or later; {tools.UnsharePath} {have}.",
                    since.ToString());
            }
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

        var holdsTree = HoldsTree(spec, tools);
        var kinds = spec.ImpliedNamespaces() | (holdsTree ? NamespaceKind.Pid : NamespaceKind.None);

        // The kernel lets only a privileged process create the other kinds outside a user namespace;
        // like bwrap, add one rather than fail with EPERM.
        if (!tools.IsPrivileged && kinds != NamespaceKind.None)
        {
            kinds |= NamespaceKind.User;
        }

        var argv = LaunchPrefix.Start(tools, spec.DieWithCaller);
        argv.Add(tools.UnsharePath!);
        AddFlag(argv, kinds, NamespaceKind.User, "--user");
        AddFlag(argv, kinds, NamespaceKind.Pid, "--pid");
        AddFlag(argv, kinds, NamespaceKind.Uts, "--uts");
        AddFlag(argv, kinds, NamespaceKind.Mount, "--mount");
        AddFlag(argv, kinds, NamespaceKind.Ipc, "--ipc");
        AddFlag(argv, kinds, NamespaceKind.Net, "--net");
        AddFlag(argv, kinds, NamespaceKind.Cgroup, "--cgroup");
        AddFlag(argv, kinds, NamespaceKind.Time, "--time");

        // A new pid or time namespace applies to children only: the program must be forked.
        if (Forks(kinds))
        {
            argv.Add("--fork");
            if (spec.DieWithCaller)
            {
                argv.Add("--kill-child");
            }
        }

        if (holdsTree && KeepsIdentity(spec, tools))
        {
            argv.Add("--map-current-user");
        }

        switch (spec.Mapping)
        {
            case IdentityMapping.RootUser:
                argv.Add("--map-root-user");
                break;
            case IdentityMapping.CurrentUser:
                argv.Add("--map-current-user");
                break;
            case IdentityMapping.User:
                argv.Add("--map-user=" + spec.MapUserId!.Value.ToString(CultureInfo.InvariantCulture));
                argv.Add("--map-group=" + spec.EffectiveMapGroupId.ToString(CultureInfo.InvariantCulture));
                break;
            case IdentityMapping.Auto:
                argv.Add("--map-root-user");
                argv.Add("--map-auto");
                break;
        }

        if (spec.MountProc)
        {
            argv.Add("--mount-proc");
        }

        if (spec.WorkingDirectory is not null)
        {
            if (tools.UnshareVersion >= WorkingDirectorySince)
            {
                argv.Add("--wd=" + spec.WorkingDirectory);
            }
            else
            {
                // Without --wd the runner starts unshare in the directory; the cwd survives unshare and exec.
                return Finish(argv, spec, tools, kinds, holdsTree, spec.WorkingDirectory);
            }
        }

        return Finish(argv, spec, tools, kinds, holdsTree, null);
    }

    /// <summary>The caller is uid 0 inside, so it keeps its capabilities across exec (needed by hostname).</summary>
    internal static bool IsRootInside(NamespaceSpec spec, SandboxToolFacts tools) => spec.Mapping switch
    {
        IdentityMapping.RootUser or IdentityMapping.Auto => true,
        IdentityMapping.User => spec.MapUserId == 0,
        IdentityMapping.None => tools.IsPrivileged && (spec.ImpliedNamespaces() & NamespaceKind.User) == 0,
        _ => false,
    };

    /// <summary>
    /// Whether this run gets a pid namespace it did not ask for, with flock (<see cref="TreeInitArguments"/>) as its
    /// pid 1. Only where unshare can tie that namespace to us (--kill-child) and flock is installed; otherwise the run
    /// goes on as without it.
    /// </summary>
    internal static bool HoldsTree(NamespaceSpec spec, SandboxToolFacts tools) =>
        spec.HoldsTreeInPidNamespace
        && tools.FlockPath is not null
        && tools.UnshareVersion is { } version
        && version >= KillChildSince
        && (!KeepsIdentity(spec, tools) || version >= MapCurrentUserSince);

    /// <summary>
    /// Whether the user namespace exists only for the pid namespace that holds the tree (an unprivileged run that
    /// asked for nothing): the caller then keeps its uid and gid inside rather than becoming the overflow user.
    /// </summary>
    private static bool KeepsIdentity(NamespaceSpec spec, SandboxToolFacts tools) =>
        !tools.IsPrivileged && spec.ImpliedNamespaces() == NamespaceKind.None;

    private static SandboxCommand Finish(List<string> argv, NamespaceSpec spec, SandboxToolFacts tools, NamespaceKind kinds, bool holdsTree, string? startDirectory)
    {
        // "--" keeps a program name that starts with '-' from being read as an option.
        argv.Add("--");
        if (holdsTree)
        {
            argv.Add(tools.FlockPath!);
            argv.AddRange(TreeInitArguments);
        }

        if (spec.Hostname is not null)
        {
            argv.Add(tools.ShellPath);
            argv.Add("-c");
            argv.Add(HostnameScript);
            argv.Add("sh");
            argv.Add(tools.HostnamePath!);
            argv.Add(spec.Hostname);
        }

        argv.Add(spec.FilePath);
        argv.AddRange(spec.ArgumentList);
        return new SandboxCommand(BackendKind.Unshare, argv, kinds) { StartDirectory = startDirectory };
    }

    private static bool Forks(NamespaceKind kinds) => (kinds & (NamespaceKind.Pid | NamespaceKind.Time)) != 0;
}
