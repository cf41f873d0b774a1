using System.Globalization;
using UsernsTools.Configuration;
using UsernsTools.Facts;
using UsernsTools.Facts.Denials;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Diagnosis;

/// <summary>
/// What a rule may read: the snapshot, answers derived from it, and the findings of the rules that ran before
/// (so the last rule can tell which probe failures nothing explained).
/// </summary>
internal sealed class DiagnosisContext
{
    private readonly List<UsernsFinding> _findings = new();

    public DiagnosisContext(UsernsSnapshot snapshot, FrontEndWords? words = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Snapshot = snapshot;
        Words = words ?? FrontEndWords.Cmdlets;
        // A hand-written report may leave lists out or null them; rules must not trip over that.
        Facts = snapshot.Facts ?? new MachineFacts();
        Probes = snapshot.Probes ?? Array.Empty<UsernsProbeResult>();
        BwrapProbes = (snapshot.BwrapProbes ?? Array.Empty<BwrapProbeResult>()).Where(p => p is not null).ToArray();
        Denials = (snapshot.Denials ?? Array.Empty<UsernsDenial>()).Where(d => d is not null).ToArray();
        Distribution = Distribution.From(Facts.Kernel ?? new KernelFacts());
    }

    public UsernsSnapshot Snapshot { get; }

    /// <summary>The front end the text is for: remediation names the commands its reader types.</summary>
    public FrontEndWords Words { get; }

    /// <summary>A fix as the reader of this diagnosis types it.</summary>
    public string Command(FindingFix fix)
    {
        ArgumentNullException.ThrowIfNull(fix);
        return fix.Render(Words);
    }

    public MachineFacts Facts { get; }

    public IReadOnlyList<UsernsProbeResult> Probes { get; }

    public Distribution Distribution { get; }

    /// <summary>The bubblewrap probes; empty when bwrap is not installed, nothing was probed, or an older report.</summary>
    public IReadOnlyList<BwrapProbeResult> BwrapProbes { get; }

    /// <summary>Recent log lines about user namespaces, quoted as evidence by the findings they support.</summary>
    public IReadOnlyList<UsernsDenial> Denials { get; }

    /// <summary>
    /// Programs other than bwrap that the AppArmor user namespace restriction hit, by the executable path of their log
    /// line (Chromium's "No usable sandbox!"): each can get its own profile with <c>userns,</c>. Paths a profile cannot
    /// name are left out.
    /// </summary>
    public IReadOnlyList<string> RestrictedPrograms => RestrictedDenials()
        .Select(d => d.Executable!)
        .Where(path => path is not null && Configuration.AppArmorProfileWriter.IsValidProgramPath(path))
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// Absolute executable paths of restricted programs that a generated profile cannot name (a space, a quote): the log
    /// gives the path, so asking the user to look it up would be wrong; only a profile written by hand can quote it.
    /// </summary>
    public IReadOnlyList<string> RestrictedUnprofilablePrograms => RestrictedDenials()
        .Select(d => d.Executable)
        .OfType<string>()
        .Where(path => path.StartsWith('/') && !Configuration.AppArmorProfileWriter.IsValidProgramPath(path))
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The process names (comm) of restricted programs whose log lines name no executable path at all.</summary>
    public IReadOnlyList<string> RestrictedProgramNames
    {
        get
        {
            var denials = RestrictedDenials();
            return denials
                .Select(d => HasAbsoluteExecutable(d) ? null : d.ProcessName)
                .OfType<string>()

                // Another line of the same process name may give its path (the capability denial follows the userns_create event).
                .Where(name => !denials.Any(d => string.Equals(d.ProcessName, name, StringComparison.Ordinal) && HasAbsoluteExecutable(d)))
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
    }

    private static bool HasAbsoluteExecutable(UsernsDenial denial) => denial.Executable?.StartsWith('/') ?? false;

    /// <remarks>
    /// An array, so that the Select of each caller starts from it: Select on the result of another operator (Where here) is
    /// a generic virtual call, which the native command resolves at its first use for tens of microseconds.
    /// </remarks>
    private UsernsDenial[] RestrictedDenials() => Denials.Where(d =>
        d.Kind is DenialKind.AppArmorUsernsTransition or DenialKind.AppArmorUsernsCreateRestricted or DenialKind.AppArmorCapabilityDenied or DenialKind.AppArmorMapWriteDenied
        && !string.Equals(d.ProcessName, "bwrap", StringComparison.Ordinal)
        && !(d.Executable?.EndsWith("/bwrap", StringComparison.Ordinal) ?? false)).ToArray();

    /// <summary>The bwrap probe of one mode, when it ran.</summary>
    public BwrapProbeResult? BwrapProbe(BwrapMode mode) => BwrapProbes.FirstOrDefault(p => p.Mode == mode);

    /// <summary>The bwrap path of the probes (the one really run), else where the facts found it.</summary>
    public string BwrapProbePath => BwrapProbes.Select(p => p.Installation?.Path).FirstOrDefault(p => !string.IsNullOrEmpty(p)) ?? BwrapPath;

    public UsernsSubject Subject => Facts.Subject ?? new UsernsSubject();

    public ProcessFacts Process => Facts.Process ?? new ProcessFacts();

    public EnvironmentFacts Environment => Facts.Environment ?? new EnvironmentFacts();

    public SecurityModuleFacts SecurityModules => Facts.SecurityModules ?? new SecurityModuleFacts();

    /// <summary>Findings of the rules that ran before the current one.</summary>
    public IReadOnlyList<UsernsFinding> EarlierFindings => _findings;

    /// <summary>True when no probe was run (Get-UsernsStatus -NoProbe, or a report recorded without probes).</summary>
    public bool HasProbes => Probes.Count > 0;

    /// <summary>The path bwrap was found at, or where distributions install it.</summary>
    public string BwrapPath => Tool("bwrap") is { Found: true, Path: { Length: > 0 } path } ? path : "/usr/bin/bwrap";

    internal void Add(IEnumerable<UsernsFinding> findings) => _findings.AddRange(findings);

    public bool HasFinding(string id) => _findings.Exists(f => string.Equals(f.Id, id, StringComparison.Ordinal));

    /// <summary>The setting when this kernel has it.</summary>
    public UsernsSetting? Setting(string name)
    {
        var setting = (Facts.Settings ?? Array.Empty<UsernsSetting>()).FirstOrDefault(s => s is not null && string.Equals(s.Name, name, StringComparison.Ordinal));
        return setting is { Present: true } ? setting : null;
    }

    /// <summary>The runtime value as a number; null when absent or not numeric.</summary>
    public long? Number(string name) => ParseNumber(Setting(name)?.RuntimeValue);

    public static long? ParseNumber(string? value) =>
        long.TryParse(value?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;

    public ToolFact? Tool(string name) => (Facts.Tools ?? Array.Empty<ToolFact>()).FirstOrDefault(t => t is not null && string.Equals(t.Name, name, StringComparison.Ordinal));

    public UsernsProbeResult? Probe(string name) => Probes.FirstOrDefault(p => p is not null && string.Equals(p.Name, name, StringComparison.Ordinal));

    /// <summary>Whether a user namespace could be created: true/false from the probes, null when no probe tells.</summary>
    public bool? CreationWorks
    {
        get
        {
            // Every creation probe counts (a report may hold more than one): any that created a namespace proves it.
            var creates = Probes.Where(p => p is not null && string.Equals(p.Name, ProbeNames.CreateUserNamespace, StringComparison.Ordinal)).ToList();
            if (creates.Exists(p => p.Succeeded || p.Stage is ProbeStage.Map or ProbeStage.Use))
            {
                return true;
            }

            if (creates.Exists(p => p.Stage == ProbeStage.Create))
            {
                return false;
            }

            // Mapping (or any namespace kind) can only work after creation did.
            if (Probes.Any(p => p is not null && (p.Succeeded || p.Stage is ProbeStage.Map or ProbeStage.Use)))
            {
                return true;
            }

            // Without a usable unshare probe, bwrap's own user namespace probes tell (try mode may run without one).
            var bwrap = BwrapProbes.Where(p => p.Mode != BwrapMode.Try).ToList();
            if (bwrap.Exists(p => (p.Succeeded && p.UidMapped) || p.Stage is ProbeStage.Map or ProbeStage.Use))
            {
                return true;
            }

            if (creates.TrueForAll(p => p.Stage == ProbeStage.Launch) && bwrap.Count > 0 && bwrap.TrueForAll(p => p.Stage == ProbeStage.Create))
            {
                return false;
            }

            return null;
        }
    }

    /// <summary>
    /// bwrap probes that failed inside the kernel (creating, mapping or using the namespace), which limit sandboxes even
    /// when unshare works. gVisor's loopback message is harmless and does not count.
    /// </summary>
    public IEnumerable<BwrapProbeResult> BwrapFailures =>
        BwrapProbes.Where(p => !p.Succeeded && p.Stage is ProbeStage.Create or ProbeStage.Map or ProbeStage.Use
            && !(Environment.Gvisor && p.ErrorKind == BwrapErrorKind.LoopbackSetupDenied));

    /// <summary>Probes that failed while creating a namespace with one of these errnos.</summary>
    public IEnumerable<UsernsProbeResult> FailedAtCreate(params Errno[] errnos) =>
        Probes.Where(p => p is not null && !p.Succeeded && p.Stage == ProbeStage.Create && (errnos.Length == 0 || errnos.Contains(p.Errno)));

    /// <summary>The user namespace itself (not another kind inside it) could not be created for this reason.</summary>
    public UsernsProbeResult? UserNamespaceFailedWith(params Errno[] errnos) =>
        FailedAtCreate(errnos).FirstOrDefault(p => p.Name is ProbeNames.CreateUserNamespace or ProbeNames.MapRootUser)
        ?? FailedAtCreate(errnos).FirstOrDefault();

    /// <summary>True when the subject is root, which none of the unprivileged-only switches restrict.</summary>
    public bool SubjectIsRoot => Subject.Uid == 0 && !string.IsNullOrEmpty(Subject.User);

    /// <summary>Whether facts were read at all (an empty snapshot has no kernel release).</summary>
    public bool HasKernelFacts => !string.IsNullOrEmpty(Facts.Kernel?.Release);
}
