using UsernsTools.Platform;

namespace UsernsTools.Sandbox;

/// <summary>
/// The options of a run as both front ends take them (Invoke-NamespacedProcess parameters, <c>usernstools run</c>
/// options): one switch per mapping rather than an enum, so that the mapping rules and their errors live here
/// and not twice in the front ends. <see cref="ToSpec"/> turns them into a validated <see cref="NamespaceSpec"/>.
/// </summary>
internal sealed class RunOptions
{
    public string FilePath { get; init; } = "";

    public IReadOnlyList<string> ArgumentList { get; init; } = Array.Empty<string>();

    /// <summary>The program and its arguments as bytes, when the caller has them (see <see cref="NamespaceSpec.RawCommand"/>).</summary>
    public IReadOnlyList<byte[]>? RawCommand { get; init; }

    /// <summary>Variables of <see cref="Environment"/> whose value the caller has as bytes (see <see cref="NamespaceSpec.RawEnvironment"/>).</summary>
    public IReadOnlyDictionary<string, byte[]>? RawEnvironment { get; init; }

    /// <summary>Kinds asked for explicitly; the other options add the kinds they need.</summary>
    public NamespaceKind Namespaces { get; init; }

    public bool MapRootUser { get; init; }

    public bool MapCurrentUser { get; init; }

    /// <summary>The uid the caller gets inside; with <see cref="MapGroup"/> the gid (default: the same number).</summary>
    public long? MapUser { get; init; }

    public long? MapGroup { get; init; }

    public bool MapAuto { get; init; }

    public string? Hostname { get; init; }

    public bool MountProc { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    public bool ClearEnvironment { get; init; }

    public bool ReadOnlyRoot { get; init; }

    public IReadOnlyList<BindMount> BindMounts { get; init; } = Array.Empty<BindMount>();

    public bool LoopbackNetwork { get; init; }

    /// <summary>No pid namespace of the run's own unless Pid is asked for (see <see cref="NamespaceSpec.SharePidNamespace"/>).</summary>
    public bool SharePidNamespace { get; init; }

    public TimeSpan? Timeout { get; init; }

    public BackendKind Backend { get; init; }

    /// <summary>The spec these options describe; throws a <see cref="UsernsException"/> naming the first option that cannot work.</summary>
    public NamespaceSpec ToSpec()
    {
        var spec = new NamespaceSpec
        {
            FilePath = FilePath,
            ArgumentList = ArgumentList.ToList(),
            Namespaces = Namespaces,
            Mapping = ChooseMapping(),
            MapUserId = MapUser,
            MapGroupId = MapUser is null ? null : MapGroup,
            Hostname = Hostname,
            MountProc = MountProc,
            WorkingDirectory = WorkingDirectory,
            ClearEnvironment = ClearEnvironment,
            ReadOnlyRoot = ReadOnlyRoot,
            BindMounts = BindMounts.ToList(),
            LoopbackNetwork = LoopbackNetwork,
            SharePidNamespace = SharePidNamespace,
            RawCommand = RawCommand,
            RawEnvironment = RawEnvironment,
            Timeout = Timeout,
            Backend = Backend,
        };
        foreach (var (name, value) in Environment ?? new Dictionary<string, string?>())
        {
            spec.Environment[name] = value;
        }

        spec.Validate();
        return spec;
    }

    private IdentityMapping ChooseMapping()
    {
        var chosen = new List<(string Name, IdentityMapping Mapping)>(4);
        if (MapRootUser)
        {
            chosen.Add((nameof(MapRootUser), IdentityMapping.RootUser));
        }

        if (MapCurrentUser)
        {
            chosen.Add((nameof(MapCurrentUser), IdentityMapping.CurrentUser));
        }

        if (MapUser is not null)
        {
            chosen.Add((nameof(MapUser), IdentityMapping.User));
        }

        if (MapAuto)
        {
            chosen.Add((nameof(MapAuto), IdentityMapping.Auto));
        }

        if (chosen.Count > 1)
        {
            var names = string.Join(", ", chosen.Select(c => c.Name));
            throw new UsernsException(
                RunOptionErrorIds.MappingConflict,
                UsernsErrorCategory.InvalidArgument,
                $"Choose one identity mapping, not {names}: the caller can appear inside as only one user.",
                names);
        }

        if (MapGroup is not null && MapUser is null)
        {
            throw new UsernsException(
                RunOptionErrorIds.MapGroupWithoutMapUser,
                UsernsErrorCategory.InvalidArgument,
                "MapGroup sets the gid of a MapUser mapping; give MapUser too.",
                MapGroup);
        }

        return chosen.Count == 0 ? IdentityMapping.None : chosen[0].Mapping;
    }
}
