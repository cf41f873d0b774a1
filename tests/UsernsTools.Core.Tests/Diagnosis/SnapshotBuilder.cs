using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Probes;

namespace UsernsTools.Tests.Diagnosis;

/// <summary>Small hand-built snapshots for testing one rule at a time: a healthy Debian 12 user, changed by the test.</summary>
internal sealed class SnapshotBuilder
{
    private readonly List<UsernsSetting> _settings = new();
    private readonly List<UsernsProbeResult> _probes = new();
    private readonly List<ToolFact> _tools = new();
    private readonly List<SubordinateIdRange> _subuids = new();
    private readonly List<SubordinateIdRange> _subgids = new();

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
    };

    private SubordinateIdRange Range(SubordinateIdKind kind, string file) =>
        new() { User = Subject.User, Kind = kind, Start = 100000, Count = 65536, File = file, Line = 1 };

    public UsernsStatus Diagnose() => Diagnoser.Diagnose(Build());
}
