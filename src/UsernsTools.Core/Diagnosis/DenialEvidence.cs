using UsernsTools.Facts.Denials;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Diagnosis;

/// <summary>
/// Quotes the recent log lines that back a finding (AppArmor lines for the AppArmor findings, AVCs for SELinux,
/// seccomp events for the filter) and the bwrap probes that met the same creation failure, after the rules ran.
/// The rules stay about causes; this keeps the proof next to them without each rule reading the logs.
/// </summary>
internal static class DenialEvidence
{
    /// <summary>At most this many lines per finding, the newest: enough to prove the cause without burying it.</summary>
    public const int MaxLinesPerFinding = 3;

    private static bool IsBwrap(UsernsDenial d) =>
        string.Equals(d.ProcessName, "bwrap", StringComparison.Ordinal)
        || (d.Executable?.EndsWith("/bwrap", StringComparison.Ordinal) ?? false);

    private static readonly Dictionary<string, Func<UsernsDenial, bool>> s_matches = new(StringComparer.Ordinal)
    {
        [FindingIds.AppArmorRestrictsUserns] = d => d.Source == DenialSource.AppArmor,
        [FindingIds.AppArmorUsernsComplainMode] = d => d.Source == DenialSource.AppArmor,
        [FindingIds.AppArmorUsernsForceMode] = d => d.Source == DenialSource.AppArmor,
        [FindingIds.BwrapAppArmorProfileLacksUserns] = d => d.Kind == DenialKind.AppArmorUsernsCreateDenied,
        [FindingIds.SelinuxDeniesUserns] = d => d.Source == DenialSource.Selinux,
        [FindingIds.SelinuxMediatesUserns] = d => d.Source == DenialSource.Selinux,
        [FindingIds.SeccompBlocksUserns] = d => d.Source == DenialSource.Seccomp,
        [FindingIds.SeccompFilterActive] = d => d.Source == DenialSource.Seccomp,
        [FindingIds.UnexplainedEacces] = d => d.Source is DenialSource.AppArmor or DenialSource.Selinux,
        [FindingIds.UnexplainedMapFailure] = d => d.Source is DenialSource.AppArmor or DenialSource.Selinux,
        [FindingIds.UnexplainedEperm] = d => d.Source == DenialSource.Seccomp,
        [FindingIds.UnexplainedEnosys] = d => d.Source == DenialSource.Seccomp,
        [FindingIds.BwrapUidMapDenied] = d => (d.Source is DenialSource.AppArmor or DenialSource.Selinux) && IsBwrap(d),
        [FindingIds.BwrapLoopbackDenied] = d => (d.Source is DenialSource.AppArmor or DenialSource.Selinux) && IsBwrap(d),
        [FindingIds.BwrapProcMountDenied] = d => IsBwrap(d),
        [FindingIds.BwrapProbeFailed] = d => IsBwrap(d),
    };

    /// <summary>Findings that mean "creating a user namespace is refused": a bwrap probe refused the same way backs them.</summary>
    private static readonly HashSet<string> s_creationFindings = new(StringComparer.Ordinal)
    {
        FindingIds.UnprivilegedUsernsCloneDisabled, FindingIds.UsernsRestrictEnabled, FindingIds.MaxUserNamespacesZero,
        FindingIds.UserNamespaceModuleDisabled, FindingIds.KernelWithoutUserNamespaces, FindingIds.Wsl1NoUserNamespaces,
        FindingIds.NestingLimitReached, FindingIds.ChrootBlocksUserns, FindingIds.SeccompBlocksUserns, FindingIds.SelinuxDeniesUserns,
        FindingIds.UnexplainedEperm, FindingIds.UnexplainedEacces, FindingIds.UnexplainedEnospc, FindingIds.UnexplainedEinval,
    };

    public static IReadOnlyList<UsernsFinding> Attach(DiagnosisContext context, IReadOnlyList<UsernsFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(findings);
        var bwrapCreate = context.BwrapProbes.FirstOrDefault(p => !p.Succeeded && p.Stage == ProbeStage.Create && p.Mode != BwrapMode.Try)
            ?? context.BwrapProbes.FirstOrDefault(p => !p.Succeeded && p.Stage == ProbeStage.Create);
        if (context.Denials.Count == 0 && bwrapCreate is null)
        {
            return findings;
        }

        return findings.Select(f => f.WithMoreEvidence(Extra(context, f, bwrapCreate))).ToArray();
    }

    private static List<string> Extra(DiagnosisContext context, UsernsFinding finding, BwrapProbeResult? bwrapCreate)
    {
        var extra = new List<string>();
        if (bwrapCreate is not null && s_creationFindings.Contains(finding.Id) && Agrees(finding, bwrapCreate))
        {
            extra.Add(Evidence.Of(bwrapCreate));
        }

        if (s_matches.TryGetValue(finding.Id, out var match))
        {
            // Denials are kept newest last; quote the newest few, oldest of them first.
            extra.AddRange(context.Denials.Where(match).TakeLast(MaxLinesPerFinding).Select(Evidence.Of));
        }

        return extra;
    }

    /// <summary>A bwrap creation failure backs a finding only when its errno is the one that finding explains.</summary>
    private static bool Agrees(UsernsFinding finding, BwrapProbeResult probe) => finding.Id switch
    {
        FindingIds.MaxUserNamespacesZero or FindingIds.NestingLimitReached or FindingIds.UnexplainedEnospc => probe.Errno is Errno.ENOSPC or Errno.EUSERS,
        FindingIds.SelinuxDeniesUserns or FindingIds.UnexplainedEacces => probe.Errno == Errno.EACCES,
        FindingIds.UserNamespaceModuleDisabled or FindingIds.KernelWithoutUserNamespaces or FindingIds.Wsl1NoUserNamespaces or FindingIds.UnexplainedEinval => probe.Errno == Errno.EINVAL,
        _ => probe.Errno == Errno.EPERM,
    };
}
