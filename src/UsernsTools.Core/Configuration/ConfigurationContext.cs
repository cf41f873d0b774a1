using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>Where and how changes are made: the file-system root, the proc root, and the seams tests replace.</summary>
internal sealed record ConfigurationContext
{
    /// <summary>File-system root (default <c>/</c>); every file read or written is below it.</summary>
    public string Root { get; init; } = "/";

    /// <summary>Where /proc is; null means <c>Root + /proc</c>. A nested user namespace test points this at the real /proc.</summary>
    public string? ProcRoot { get; init; }

    public string EffectiveProcRoot => ProcRoot ?? RootedPath.Combine(Root, "/proc");

    /// <summary>Where a machine path really is on this host, for messages (see <see cref="RootedPath.Show"/>).</summary>
    public string Show(string machinePath) => RootedPath.Show(Root, machinePath, ProcRoot);

    private readonly bool? _loadsProfiles;
    private readonly FrontEndWords? _words;

    /// <summary>The commands advice names: the cmdlets' unless the command line sets its own.</summary>
    public FrontEndWords Words
    {
        get => _words ?? FrontEndWords.ForCmdlets(Root);
        init => _words = value;
    }

    /// <summary>
    /// Whether apparmor_parser is run to load and unload profiles. By default only for the running machine's own
    /// root: below any other root nothing found there is ever executed (tests with a fake runner turn it on).
    /// </summary>
    public bool LoadsProfiles
    {
        get => _loadsProfiles ?? MachineRoot.IsLive(Root);
        init => _loadsProfiles = value;
    }

    /// <summary>Runs apparmor_parser.</summary>
    public IProcessRunner Runner { get; init; } = ProcessRunner.Instance;

    /// <summary>How long to wait for another UsernsTools run holding the configuration lock.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Effective uid of the caller: writes that need root are refused early (and clearly) without it.</summary>
    public long EffectiveUid { get; init; } = CurrentProcess.EffectiveUid;

    /// <summary>
    /// Called at named points of an apply ("journal-written", "change-applied-N"): crash tests kill the process
    /// there to prove that recovery restores the previous state.
    /// </summary>
    public Action<string>? FaultPoint { get; init; }

    /// <summary>The clock that stamps journal records.</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;

    public DateTimeOffset Now => Clock();
}
