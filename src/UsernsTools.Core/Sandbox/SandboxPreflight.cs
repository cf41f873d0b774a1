using UsernsTools.Platform;

namespace UsernsTools.Sandbox;

/// <summary>
/// Checks on the host, before anything starts, what would otherwise fail inside the backend with its own
/// message and a made-up exit code (unshare's 127 for a missing program, bwrap's 1 for a missing path):
/// every bind source exists, the working directory exists as the sandbox will see it, and the program
/// can be found there. Paths are looked up through the bind mounts, so a program or directory that only
/// a bind mount brings in is found.
/// </summary>
internal static class SandboxPreflight
{
    public static void Check(NamespaceSpec spec, SandboxToolFacts tools)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(tools);

        // A launch prefix runs the backend in a file system of its own (tests prepare one): the host's says nothing.
        if (tools.LaunchPrefix.Count > 0)
        {
            return;
        }

        foreach (var mount in spec.BindMounts)
        {
            if (!File.Exists(mount.Source) && !Directory.Exists(mount.Source))
            {
                throw new UsernsException(
                    SandboxErrorIds.BindMountSourceNotFound,
                    UsernsErrorCategory.ObjectNotFound,
                    $"The bind mount source '{mount.Source}' does not exist.",
                    mount.Source);
            }
        }

        CheckBindTargets(spec);
        var view = new SandboxPathView(spec.BindMounts);
        if (spec.WorkingDirectory is { } directory && !view.IsDirectory(directory))
        {
            throw new UsernsException(
                SandboxErrorIds.WorkingDirectoryNotFound,
                UsernsErrorCategory.ObjectNotFound,
                view.Exists(directory)
                    ? $"The working directory '{directory}' is a file in the sandbox, not a directory."
                    : $"The working directory '{directory}' does not exist in the sandbox.",
                directory);
        }

        if (spec.FilePath.Contains('/', StringComparison.Ordinal) && view.IsDirectory(ProgramInside(spec)))
        {
            // As the shells say for a directory given as a command: it exists, and cannot be executed (126).
            throw new UsernsException(
                SandboxErrorIds.ProgramNotExecutable,
                UsernsErrorCategory.PermissionDenied,
                $"The program '{spec.FilePath}' cannot be executed: it is a directory.",
                spec.FilePath);
        }

        var program = FindProgram(spec, view);
        if (program.HostPath is { } notExecutable && !program.Executable)
        {
            // No execute bit for anyone: exec fails for every user, root included. The backend's own report of it was
            // flock's "failed to execute" and exit 69, or bwrap's exit 1, where the shells say 126.
            throw new UsernsException(
                SandboxErrorIds.ProgramNotExecutable,
                UsernsErrorCategory.PermissionDenied,
                $"The program '{spec.FilePath}' cannot be executed: {notExecutable} has no execute permission (mode {UnixFile.Stat(notExecutable)?.ModeText ?? "unknown"}).",
                spec.FilePath);
        }

        if (program.HostPath is null)
        {
            throw new UsernsException(
                SandboxErrorIds.ProgramNotFound,
                UsernsErrorCategory.ObjectNotFound,
                spec.FilePath.Contains('/', StringComparison.Ordinal)
                    ? $"The program '{spec.FilePath}' does not exist in the sandbox."
                    : $"The program '{spec.FilePath}' was not found on the sandbox's PATH.",
                spec.FilePath);
        }
    }

    /// <summary>
    /// Refuses a bind mount whose target bwrap would have to create on the host: with the host's root bound writable
    /// (or inside an earlier bind mount, whose source is a host directory), bwrap makes the missing mount point there with
    /// mkdir and the sandbox leaves it behind, an empty directory or file in the host's tree. Under a read-only root a
    /// missing target is made in a tmpfs instead (<see cref="ReadOnlyMountPoints"/>).
    /// </summary>
    private static void CheckBindTargets(NamespaceSpec spec)
    {
        foreach (var (target, view, ancestor) in ReadOnlyMountPoints.MissingTargets(spec))
        {
            if (spec.ReadOnlyRoot && (view.MountOf(ancestor) is null || SandboxPathView.IsAtOrBelow(ancestor, "/dev")))
            {
                continue;
            }

            throw new UsernsException(
                SandboxErrorIds.BindMountTargetOnHost,
                UsernsErrorCategory.InvalidArgument,
                $"The bind mount target '{target}' does not exist, and the sandbox would create it on the host (in {view.ToHostPath(ancestor)})"
                + " and leave it there. Create it first, or make the root read-only (run --ro-root, Invoke-NamespacedProcess -ReadOnlyRoot),"
                + " under which a missing mount point exists only inside the sandbox.",
                target);
        }
    }

    /// <summary>
    /// Refuses a run that needs a user namespace where the kernel settings of the caller's own user namespace turn them
    /// off (user.max_user_namespaces = 0; kernel.unprivileged_userns_clone = 0 for anyone but root), before the backend
    /// fails with its own words ("unshare failed: No space left on device") and exit status 1, which could be the
    /// program's. What these settings do not show (an AppArmor or SELinux policy, a seccomp filter) is left to the backend.
    /// <paramref name="procSys"/> is where the settings are read (/proc/sys).
    /// </summary>
    public static void CheckUserNamespace(NamespaceSpec spec, SandboxCommand command, SandboxToolFacts tools, string procSys = "/proc/sys")
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(tools);
        if (tools.LaunchPrefix.Count > 0 || (command.Namespaces & NamespaceKind.User) == 0)
        {
            return;
        }

        CheckSubordinateIds(spec, tools);
        string? off = null;
        if (SmallTextFile.TryRead(procSys + "/user/max_user_namespaces")?.Trim() == "0")
        {
            off = "user.max_user_namespaces = 0";
        }
        else if (!tools.IsPrivileged && SmallTextFile.TryRead(procSys + "/kernel/unprivileged_userns_clone")?.Trim() == "0")
        {
            off = "kernel.unprivileged_userns_clone = 0";
        }

        if (off is null)
        {
            return;
        }

        // Asked for no namespace at all: the user namespace is there only for the pid namespace that holds the tree.
        var why = (spec.ImpliedNamespaces() & (NamespaceKind.User | NamespaceKind.Pid)) == 0 && spec.HoldsTreeInPidNamespace
            ? " for the pid namespace that holds the program's processes (without it, run --no-pid-ns or"
              + " Invoke-NamespacedProcess -SharePidNamespace, the program runs among your processes)"
            : "";
        throw new UsernsException(
            SandboxErrorIds.UserNamespacesTurnedOff,
            UsernsErrorCategory.ResourceUnavailable,
            $"User namespaces are turned off here ({off}), and this run needs one{why}. 'usernstools status' (Get-UsernsStatus)"
            + " tells what else stands in the way and how to lift it.",
            off);
    }

    /// <summary>
    /// Refuses the automatic mapping for a user that /etc/subuid or /etc/subgid gives no range, before unshare fails
    /// with "no line matching user ... : Success" and exit status 1, which could be the program's. unshare takes the
    /// first line naming the user or its uid, as these files are read here; <paramref name="root"/> is where they are.
    /// </summary>
    public static void CheckSubordinateIds(NamespaceSpec spec, SandboxToolFacts tools, string root = "/")
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(tools);
        if (tools.LaunchPrefix.Count > 0 || spec.Mapping != IdentityMapping.Auto)
        {
            return;
        }

        var subject = tools.RunAs ?? Facts.UserResolver.FromUid(root, tools.EffectiveUid, Facts.UserResolver.SourceCaller, isCaller: true);
        var missing = new[] { (Kind: Facts.SubordinateIdKind.Uid, Path: Facts.SubordinateIdReader.SubuidPath), (Kind: Facts.SubordinateIdKind.Gid, Path: Facts.SubordinateIdReader.SubgidPath) }
            .Where(file => Facts.SubordinateIdReader.ReadFile(root, file.Kind, subject).Count == 0)
            .Select(file => file.Path)
            .ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var name = subject.Name;
        throw new UsernsException(
            SandboxErrorIds.SubordinateIdsMissing,
            UsernsErrorCategory.ResourceUnavailable,
            $"The automatic mapping (run --map-auto, Invoke-NamespacedProcess -MapAuto) needs a range for {name} in both /etc/subuid and"
            + $" /etc/subgid, and {(missing.Count == 1 ? missing[0] + " has none" : "neither has one")}. Root can add one that"
            + $" no one else uses (usermod --add-subuids FIRST-LAST --add-subgids FIRST-LAST {name}; 'usernstools subids'"
            + " (Get-SubordinateIdRange) lists those in use); or map only yourself (--map-root, -MapRootUser).",
            name);
    }

    /// <summary>
    /// Finds a file where execvp would look for it, as its path on the host: the first one with an execute bit, else
    /// the first one found (execvp passes a file it may not execute and fails with EACCES if no other is there); null
    /// when there is none. A file with execute bits that this user still may not use is left to the backend, whose
    /// sandbox identity decides.
    /// </summary>
    private static (string? HostPath, bool Executable) FindProgram(NamespaceSpec spec, SandboxPathView view)
    {
        var program = spec.FilePath;
        var candidates = new List<string>();
        if (program.Contains('/', StringComparison.Ordinal))
        {
            candidates.Add(ProgramInside(spec));
        }
        else
        {
            foreach (var directory in EffectivePath(spec).Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                // execvp takes a relative PATH entry relative to the working directory; look for it there.
                var inside = directory.StartsWith('/') ? directory : (spec.WorkingDirectory ?? Directory.GetCurrentDirectory()).TrimEnd('/') + "/" + directory;
                candidates.Add(inside.TrimEnd('/') + "/" + program);
            }
        }

        string? found = null;
        foreach (var inside in candidates.Where(c => IsFile(view, c)))
        {
            var host = view.ToHostPath(inside);
            if (UnixFile.Stat(host) is { AnyoneMayExecute: true })
            {
                return (host, true);
            }

            found ??= host;
        }

        return (found, false);
    }

    /// <summary>A program path with a slash as the sandbox resolves it: relative ones against the working directory.</summary>
    private static string ProgramInside(NamespaceSpec spec) => spec.FilePath.StartsWith('/')
        ? spec.FilePath
        : (spec.WorkingDirectory ?? Directory.GetCurrentDirectory()).TrimEnd('/') + "/" + spec.FilePath;

    private static bool IsFile(SandboxPathView view, string insidePath) =>
        view.Exists(insidePath) && !view.IsDirectory(insidePath);

    /// <summary>The PATH the backend passes on to execvp: the caller's unless the spec sets, removes or clears it.</summary>
    private static string EffectivePath(NamespaceSpec spec)
    {
        string? path;
        if (spec.Environment.TryGetValue("PATH", out var set))
        {
            path = set;
        }
        else
        {
            path = spec.ClearEnvironment ? null : Environment.GetEnvironmentVariable("PATH");
        }

        // Without PATH, glibc's execvp searches its default; ours is a superset of it, so nothing is wrongly refused.
        return string.IsNullOrEmpty(path) ? PathLookup.DefaultPath : path;
    }
}
