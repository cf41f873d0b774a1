using UsernsTools.Probes;

namespace UsernsTools.Diagnosis;

/// <summary>
/// The verdict: from the probes when they tell whether creation works, otherwise from the findings.
/// </summary>
internal static class VerdictRules
{
    /// <summary>Findings that, when Blocking, mean no user namespace can be created at all.</summary>
    private static readonly HashSet<string> CreationBlockers = new(StringComparer.Ordinal)
    {
        FindingIds.UnprivilegedUsernsCloneDisabled,
        FindingIds.UsernsRestrictEnabled,
        FindingIds.MaxUserNamespacesZero,
        FindingIds.UserNamespaceModuleDisabled,
        FindingIds.KernelWithoutUserNamespaces,
        FindingIds.Wsl1NoUserNamespaces,
        FindingIds.NestingLimitReached,
        FindingIds.ChrootBlocksUserns,
        FindingIds.SeccompBlocksUserns,
        FindingIds.SelinuxDeniesUserns,
        FindingIds.UnexplainedEperm,
        FindingIds.UnexplainedEacces,
        FindingIds.UnexplainedEnospc,
        FindingIds.UnexplainedEinval,
        FindingIds.UnexplainedEnosys,
    };

    /// <summary>Findings that limit what works after creation even when their severity is Warning.</summary>
    private static readonly HashSet<string> Limits = new(StringComparer.Ordinal)
    {
        FindingIds.MaxUserNamespacesLow,
        FindingIds.MaxMntNamespacesZero,
        FindingIds.MaxPidNamespacesZero,
        FindingIds.MaxNetNamespacesZero,
        FindingIds.MaxIpcNamespacesZero,
        FindingIds.MaxUtsNamespacesZero,
        FindingIds.MaxCgroupNamespacesZero,
        FindingIds.MaxTimeNamespacesZero,

        // A probe that did not answer proved nothing: with every probe timed out, the settings alone would say Available
        // and a compliance gate on the verdict would pass on a machine where nothing was shown to work.
        FindingIds.ProbeTimedOut,
    };

    public static Verdict Decide(DiagnosisContext context, IReadOnlyList<UsernsFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(findings);
        var limited = findings.Any(f => f.Severity == Severity.Blocking || Limits.Contains(f.Id));
        switch (context.CreationWorks)
        {
            case false:
                return Verdict.Unavailable;
            case true:
                // Anything denied after creation (mapping, another namespace kind, a capability inside) limits it.
                var laterFailure = context.Probes.Any(p => p is not null && !p.Succeeded && p.Stage is ProbeStage.Create or ProbeStage.Map or ProbeStage.Use);

                // Creating works, yet bwrap (the sandbox most programs use) is denied a step: that is a limit too.
                var bwrapFailure = context.BwrapFailures.Any();
                return laterFailure || bwrapFailure || limited ? Verdict.Limited : Verdict.Available;
            default:
                if (findings.Any(f => f.Severity == Severity.Blocking && CreationBlockers.Contains(f.Id)))
                {
                    return Verdict.Unavailable;
                }

                return limited ? Verdict.Limited : Verdict.Available;
        }
    }
}
