namespace UsernsTools.Probes;

/// <summary>One probe: its name and the util-linux <c>unshare</c> options it needs (the command is always <c>true</c>).</summary>
internal sealed record UnshareProbeSpec(string Name, IReadOnlyList<string> Options)
{
    // Every kind other than user is created inside a new user namespace with root mapped, because that is how
    // an unprivileged user gets the capabilities that creating the other kinds needs.
    private static readonly string[] s_mapped = { "--user", "--map-root-user" };

    /// <summary>The two probes that answer "can this user create a user namespace and map itself to root".</summary>
    public static IReadOnlyList<UnshareProbeSpec> Core { get; } = new[]
    {
        new UnshareProbeSpec(ProbeNames.CreateUserNamespace, new[] { "--user" }),
        new UnshareProbeSpec(ProbeNames.MapRootUser, s_mapped),
    };

    /// <summary>The core probes followed by one probe per other namespace kind, in <see cref="ProbeNames"/> order.</summary>
    public static IReadOnlyList<UnshareProbeSpec> All { get; } = new[]
    {
        Core[0],
        Core[1],
        Kind(ProbeNames.Mount, "--mount"),

        // A pid namespace only takes effect for children, so unshare must fork to prove one can be entered.
        Kind(ProbeNames.Pid, "--pid", "--fork"),
        Kind(ProbeNames.Net, "--net"),
        Kind(ProbeNames.Uts, "--uts"),
        Kind(ProbeNames.Ipc, "--ipc"),
        Kind(ProbeNames.Cgroup, "--cgroup"),

        // util-linux 2.38 spells it --time (short -T); older releases do not know it and say so, which the
        // classifier reports as a launch failure rather than a kernel refusal.
        Kind(ProbeNames.Time, "--time"),
    };

    /// <summary>The argv of this probe run by <paramref name="unsharePath"/>.</summary>
    public IReadOnlyList<string> Argv(string unsharePath) => BuildArgv(unsharePath, Options);

    /// <summary>
    /// One argv that creates every namespace the given probes create, in one process: the union of their options
    /// in first-seen order. Its success proves each of them.
    /// </summary>
    public static IReadOnlyList<string> CombinedArgv(string unsharePath, IEnumerable<UnshareProbeSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var options = new List<string>();
        foreach (var spec in specs)
        {
            foreach (var option in spec.Options)
            {
                if (!options.Contains(option, StringComparer.Ordinal))
                {
                    options.Add(option);
                }
            }
        }

        return BuildArgv(unsharePath, options);
    }

    private static UnshareProbeSpec Kind(string name, params string[] options) => new(name, [.. s_mapped, .. options]);

    private static string[] BuildArgv(string unsharePath, IReadOnlyList<string> options)
    {
        ArgumentNullException.ThrowIfNull(unsharePath);
        var argv = new string[options.Count + 2];
        argv[0] = unsharePath;
        for (var i = 0; i < options.Count; i++)
        {
            argv[i + 1] = options[i];
        }

        argv[^1] = "true";
        return argv;
    }
}
