namespace UsernsTools.Probes;

/// <summary>Names of the probes, as they appear in <see cref="UsernsProbeResult.Name"/>.</summary>
public static class ProbeNames
{
    /// <summary><c>unshare --user true</c>: can a user namespace be created at all.</summary>
    public const string CreateUserNamespace = "CreateUserNamespace";

    /// <summary><c>unshare --user --map-root-user true</c>: can the subject map itself to root inside.</summary>
    public const string MapRootUser = "MapRootUser";

    /// <summary>Other namespace kinds created inside a new user namespace.</summary>
    public const string Mount = "Mount";
    public const string Pid = "Pid";
    public const string Net = "Net";
    public const string Uts = "Uts";
    public const string Ipc = "Ipc";
    public const string Cgroup = "Cgroup";
    public const string Time = "Time";

    public static IReadOnlyList<string> NamespaceKinds { get; } = new[] { Mount, Pid, Net, Uts, Ipc, Cgroup, Time };
}
