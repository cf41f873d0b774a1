using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>
/// bwrap probe failures that neither the bwrap rules nor the user namespace findings explain (a profile confining bwrap
/// that the facts did not show, a timeout, an unknown message): an honest finding with the machine's likely cause,
/// so that a verdict limited by bwrap always names why. Runs after every other cause rule.
/// </summary>
internal sealed class BwrapProbeFailureRule : IDiagnosisRule
{
    /// <summary>Kinds another finding covers: the specific bwrap rules, and the setuid/capability installations.</summary>
    private static readonly HashSet<BwrapErrorKind> s_covered = new()
    {
        BwrapErrorKind.None,
        BwrapErrorKind.NotInstalled,
        BwrapErrorKind.SetuidNotUsed,
        BwrapErrorKind.SetuidNotSupported,
        BwrapErrorKind.UnexpectedCapabilities,
        BwrapErrorKind.CapsetFailed,
        BwrapErrorKind.UidMapDenied,
        BwrapErrorKind.GidMapDenied,
        BwrapErrorKind.SetgroupsDenied,
        BwrapErrorKind.LoopbackSetupDenied,
        BwrapErrorKind.ProcMountDenied,
        BwrapErrorKind.MakeRootSlaveFailed,
    };

    /// <summary>Findings that explain a failure to create the user namespace, whichever tool met it.</summary>
    private static readonly string[] s_creationCauses =
    {
        FindingIds.UnprivilegedUsernsCloneDisabled, FindingIds.UsernsRestrictEnabled, FindingIds.MaxUserNamespacesZero,
        FindingIds.UserNamespaceModuleDisabled, FindingIds.KernelWithoutUserNamespaces, FindingIds.Wsl1NoUserNamespaces,
        FindingIds.NestingLimitReached, FindingIds.ChrootBlocksUserns, FindingIds.SeccompBlocksUserns, FindingIds.SelinuxDeniesUserns,
        FindingIds.AppArmorUsernsForceMode, FindingIds.BwrapAppArmorProfileLacksUserns,
    };

    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var unexplained = context.BwrapProbes.Where(p => !p.Succeeded && !s_covered.Contains(p.ErrorKind) && !Explained(context, p)).ToList();
        if (unexplained.Count == 0)
        {
            yield break;
        }

        var first = unexplained.Find(p => p.Mode == BwrapMode.Strict) ?? unexplained[0];
        var cause = BwrapAdvice.Cause(context, first);
        var (remediation, fix) = BwrapAdvice.Remediation(context, cause, context.BwrapProbePath);

        // A sandbox that cannot start at all blocks bwrap; a timeout says nothing certain.
        var blocks = unexplained.Exists(p => p.Mode == BwrapMode.Strict && p.Stage is ProbeStage.Create or ProbeStage.Map or ProbeStage.Use);
        yield return new UsernsFinding
        {
            Id = FindingIds.BwrapProbeFailed,
            Severity = blocks ? Severity.Blocking : Severity.Warning,
            Evidence = unexplained.Select(Evidence.Of).ToList(),
            Explanation = first.Explanation + (cause.Text is null ? "" : " " + cause.Text),
            Remediation = remediation,
            Fix = fix,
        };
    }

    private static bool Explained(DiagnosisContext context, BwrapProbeResult probe) => probe.Stage switch
    {
        // unshare failed the same way, and its findings (or the unexplained-errno ones) say why.
        ProbeStage.Create => context.CreationWorks == false || s_creationCauses.Any(context.HasFinding),
        ProbeStage.Launch when probe.ErrorKind == BwrapErrorKind.LaunchFailed => context.HasFinding(FindingIds.SetprivMissing),
        _ => false,
    };
}
