using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Facts.Denials;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Tests.Diagnosis;

/// <summary>Small hand-built snapshots for testing one rule at a time: a healthy Debian 12 user, changed by the test.</summary>
internal sealed class SnapshotBuilder
{
    private readonly List<UsernsSetting> _settings = new();
    private readonly List<UsernsProbeResult> _probes = new();
    private readonly List<ToolFact> _tools = new();
    private readonly List<SubordinateIdRange> _subuids = new();
    private readonly List<SubordinateIdRange> _subgids = new();
    private readonly List<BwrapProbeResult> _bwrapProbes = new();
    private readonly List<UsernsDenial> _denials = new();

    // Healthy ranges unless a test sets its own, so that unrelated tests see no subordinate id findings.
    private bool _defaultSubuids = true;
    private bool _defaultSubgids = true;

    public KernelFacts Kernel { get; set; } = new()
    {
        Release = "6.1.0-28-amd64",
        OsId = "debian",
        OsVersionId = "12",
        OsPrettyName = "Debian GNU/Linux 12 (bookworm)",
    };

    public UsernsSubject Subject { get; set; } = new() { User = "alice", Uid = 1000, Gid = 1000, IsCaller = true, Source = "Caller", HasPasswdEntry = true };

    public long CallerUid { get; set; } = 1000;

    public ProcessFacts Process { get; set; } = new()
    {
        Seccomp = 0,
        NoNewPrivs = false,
        UidMap = "         0          0 4294967295\n",
        InInitialUserNamespace = true,
        UserNamespaceInode = 4026531837,
        UserNamespaceDepth = 0,
    };

    public EnvironmentFacts Environment { get; set; } = new() { InChroot = false };

    public SecurityModuleFacts SecurityModules { get; set; } = new();

    public SnapshotBuilder Setting(string name, string? value, string? persisted = null, string? source = null, params SysctlAssignment[] shadowed)
    {
        _settings.RemoveAll(s => s.Name == name);
        _settings.Add(new UsernsSetting
        {
            Name = name,
            Path = name.Contains('.', StringComparison.Ordinal) && name.StartsWith("user_namespace", StringComparison.Ordinal)
                ? "/sys/module/user_namespace/parameters/enable"
                : "/proc/sys/" + name.Replace('.', '/'),
            Present = value is not null,
            RuntimeValue = value,
            PersistedValue = persisted,
            PersistedSource = source,
            Shadowed = shadowed,
        });
        return this;
    }

    public SnapshotBuilder Tool(string name, string? path, string? version = null, bool setuid = false, string? caps = null)
    {
        _tools.RemoveAll(t => t.Name == name);
        _tools.Add(new ToolFact { Name = name, Found = path is not null, Path = path, Version = version, IsSetuid = setuid, OwnerUid = path is null ? null : 0, FileCapabilities = caps });
        return this;
    }

    public SnapshotBuilder Subuid(long start, long count, bool own = false, params string[] overlaps)
    {
        _defaultSubuids = false;
        _subuids.Add(new SubordinateIdRange { User = Subject.User, Kind = SubordinateIdKind.Uid, Start = start, Count = count, File = "/etc/subuid", Line = 1, ContainsOwnId = own, OverlapsWith = overlaps });
        return this;
    }

    public SnapshotBuilder Subgid(long start, long count, bool own = false, params string[] overlaps)
    {
        _defaultSubgids = false;
        _subgids.Add(new SubordinateIdRange { User = Subject.User, Kind = SubordinateIdKind.Gid, Start = start, Count = count, File = "/etc/subgid", Line = 1, ContainsOwnId = own, OverlapsWith = overlaps });
        return this;
    }

    public SnapshotBuilder Probe(string name, ProbeStage stage = ProbeStage.None, Errno errno = Errno.None, string? message = null)
    {
        _probes.Add(new UsernsProbeResult
        {
            Name = name,
            Succeeded = stage == ProbeStage.None,
            Stage = stage,
            Errno = errno,
            Message = message,
            ExitCode = stage == ProbeStage.None ? 0 : 1,
            Command = new[] { "/usr/bin/unshare", "--user", "true" },
            User = Subject.User,
        });
        return this;
    }

    /// <summary>A bwrap probe of <paramref name="mode"/>: succeeded (mapped) when <paramref name="kind"/> is None, else failed as classified.</summary>
    public SnapshotBuilder BwrapProbe(BwrapMode mode, BwrapErrorKind kind = BwrapErrorKind.None, ProbeStage stage = ProbeStage.None, Errno errno = Errno.None, string? message = null, BwrapInstallation? installation = null)
    {
        var path = installation?.Path ?? "/usr/bin/bwrap";
        _bwrapProbes.Add(new BwrapProbeResult
        {
            Mode = mode,
            Succeeded = kind == BwrapErrorKind.None,
            UidMapped = kind == BwrapErrorKind.None,
            UidMap = kind == BwrapErrorKind.None ? "0 1000 1" : null,
            ExitCode = kind == BwrapErrorKind.None ? 0 : 1,
            StandardError = message is null ? "" : "bwrap: " + message + "\n",
            ErrorKind = kind,
            Errno = errno,
            Stage = stage,
            Message = message,
            Installation = installation ?? new BwrapInstallation { Path = path, ResolvedPath = path, Source = "PATH", IsSelected = true, Version = "0.9.0", OwnerUid = 0 },
            Command = BwrapProber.Argv(path, mode),
            User = Subject.User,
        });
        return this;
    }

    /// <summary>Every bwrap mode succeeds.</summary>
    public SnapshotBuilder BwrapWorks()
    {
        foreach (var mode in Enum.GetValues<BwrapMode>())
        {
            BwrapProbe(mode);
        }

        return this;
    }

    /// <summary>A log line, parsed as the reader would.</summary>
    public SnapshotBuilder Denial(string line)
    {
        _denials.Add(DenialParser.Parse(line, null, "journalctl -k") ?? throw new ArgumentException("not a user namespace line: " + line, nameof(line)));
        return this;
    }

    public SnapshotBuilder NoSubuids()
    {
        _defaultSubuids = false;
        _subuids.Clear();
        return this;
    }

    public SnapshotBuilder NoSubgids()
    {
        _defaultSubgids = false;
        _subgids.Clear();
        return this;
    }

    /// <summary>Create and map both work.</summary>
    public SnapshotBuilder Works() => Probe(ProbeNames.CreateUserNamespace).Probe(ProbeNames.MapRootUser);

    /// <summary>Creation fails with this errno in both user namespace probes.</summary>
    public SnapshotBuilder CreateFails(Errno errno, string message) =>
        Probe(ProbeNames.CreateUserNamespace, ProbeStage.Create, errno, message).Probe(ProbeNames.MapRootUser, ProbeStage.Create, errno, message);

    public UsernsSnapshot Build() => new()
    {
        Facts = new MachineFacts
        {
            Hostname = "test",
            Subject = Subject,
            CallerUid = CallerUid,
            Kernel = Kernel,
            Settings = _settings.ToArray(),
            SecurityModules = SecurityModules,
            Process = Process,
            Environment = Environment,
            Tools = _tools.ToArray(),
            SubordinateUids = _defaultSubuids ? new[] { Range(SubordinateIdKind.Uid, "/etc/subuid") } : _subuids.ToArray(),
            SubordinateGids = _defaultSubgids ? new[] { Range(SubordinateIdKind.Gid, "/etc/subgid") } : _subgids.ToArray(),
        },
        Probes = _probes.ToArray(),
        BwrapProbes = _bwrapProbes.ToArray(),
        Denials = _denials.ToArray(),
    };

    private SubordinateIdRange Range(SubordinateIdKind kind, string file) =>
        new() { User = Subject.User, Kind = kind, Start = 100000, Count = 65536, File = file, Line = 1 };

    public UsernsStatus Diagnose() => Diagnoser.Diagnose(Build());
}
