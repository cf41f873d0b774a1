using UsernsTools.Diagnosis.Rules;

namespace UsernsTools.Diagnosis;

/// <summary>Turns a snapshot into findings and a verdict. Pure: reads nothing but its argument.</summary>
internal static class Diagnoser
{
    /// <summary>
    /// The rules in the order they run. Order matters only for <see cref="BwrapProbeFailureRule"/> and
    /// <see cref="UnexplainedFailureRule"/>, which must come last because they report the probe failures the others
    /// left unexplained.
    /// </summary>
    internal static IReadOnlyList<IDiagnosisRule> Rules { get; } = new IDiagnosisRule[]
    {
        new UnprivilegedUsernsCloneRule(),
        new UsernsRestrictRule(),
        new MaxUserNamespacesRule(),
        new OtherNamespaceLimitsRule(),
        new UserNamespaceModuleRule(),
        new KernelSupportRule(),
        new WslRule(),
        new AppArmorRestrictionRule(),
        new AppArmorProfileRule(),
        new SelinuxRule(),
        new SeccompRule(),
        new ChrootRule(),
        new NestedUserNamespaceRule(),
        new GvisorRule(),
        new NoNewPrivsRule(),
        new SetuidBwrapRule(),
        new BwrapNotInstalledRule(),
        new BwrapUidMapRule(),
        new BwrapLoopbackRule(),
        new BwrapProcMountRule(),
        new UtilLinuxRule(),
        new IdMapHelperRule(),
        new SubordinateIdRule(),
        new PersistenceRule(),
        new HardeningRule(),
        new BwrapProbeFailureRule(),
        new UnexplainedFailureRule(),
    };

    /// <summary>
    /// Findings and verdict of a snapshot. The remediation text names commands in <paramref name="words"/> (the cmdlets'
    /// by default); each finding carries its fix for both front ends either way.
    /// </summary>
    public static UsernsStatus Diagnose(UsernsSnapshot snapshot, bool fromReport = false, Configuration.FrontEndWords? words = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var context = new DiagnosisContext(snapshot, words);
        foreach (var rule in Rules)
        {
            context.Add(rule.Evaluate(context).ToList());
        }

        var findings = Sort(DenialEvidence.Attach(context, context.EarlierFindings).Select(WithoutRecommendationInForce), context);
        var probed = context.CreationWorks is not null;
        var notes = (snapshot.Notes ?? Array.Empty<string>()).Where(n => n is not null).ToList();
        if (!probed)
        {
            notes.Insert(0, NotProbedNote(context, fromReport));
        }

        return new UsernsStatus
        {
            Verdict = VerdictRules.Decide(context, findings),
            Probed = probed,
            Subject = context.Subject,
            Hostname = context.Facts.Hostname ?? "",
            FromReport = fromReport,
            Findings = findings,
            Probes = context.Probes,
            // Explained here, by this code: a recorded probe's cause may come from an older version.
            BwrapProbes = context.BwrapProbes.Select(p => BwrapCauseAnalyzer.Explained(p, context.Facts, context.Words)).ToArray(),
            Denials = context.Denials,
            Notes = notes,
            Facts = context.Facts,
        };
    }

    /// <summary>
    /// A value already in force is no recommendation: shown as one it reads as a contradiction, and piped to
    /// Set-UsernsSetting it would change nothing.
    /// </summary>
    internal static UsernsFinding WithoutRecommendationInForce(UsernsFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (finding.RecommendedValue is null || finding.CurrentValue is null
            || !string.Equals(finding.RecommendedValue.Trim(), finding.CurrentValue.Trim(), StringComparison.Ordinal))
        {
            return finding;
        }

        return finding.WithoutRecommendedValue();
    }

    /// <summary>
    /// Says that the verdict rests on the settings alone and why, so that Available is never read as proven: only a probe
    /// shows that a namespace can be created and root mapped inside.
    /// </summary>
    internal static string NotProbedNote(DiagnosisContext context, bool fromReport)
    {
        ArgumentNullException.ThrowIfNull(context);
        var why = context.Probes.Count == 0 && context.BwrapProbes.Count == 0
            ? fromReport ? "The report holds no probe results (it was recorded without probes)" : "No probe ran"
            : "No probe could test creation (see the probes' failures)";
        return why + ": the verdict rests on the settings alone. Whether a user namespace can be created and root mapped inside was not tested; "
            + "a seccomp filter, a security module or a container runtime can still refuse it. Diagnose again with the probes to find out.";
    }

    /// <summary>
    /// Blocking first; among those, the ones that quote a failed probe (the evidence points straight at them) before
    /// the ones that rest on a setting alone; then by Id, so the same machine always lists its findings in the same order.
    /// </summary>
    internal static IReadOnlyList<UsernsFinding> Sort(IEnumerable<UsernsFinding> findings, DiagnosisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(findings);
        var failures = new HashSet<string>(StringComparer.Ordinal);
        foreach (var probe in context.Probes)
        {
            if (probe is not null && !probe.Succeeded)
            {
                failures.Add(Evidence.Of(probe));
            }
        }

        // One comparison rather than OrderBy(...).ThenBy(...): each ThenBy is a generic virtual call, which the native
        // command resolves at its first use for tens of microseconds. The position keeps the sort stable, as OrderBy is.
        var ranked = new List<(UsernsFinding Finding, int QuotesNoFailure, int Position)>();
        foreach (var finding in findings)
        {
            ranked.Add((finding, finding.Severity == Severity.Blocking && finding.Evidence.Any(failures.Contains) ? 0 : 1, ranked.Count));
        }

        ranked.Sort(static (a, b) =>
        {
            var order = b.Finding.Severity.CompareTo(a.Finding.Severity);
            order = order != 0 ? order : a.QuotesNoFailure.CompareTo(b.QuotesNoFailure);
            order = order != 0 ? order : string.CompareOrdinal(a.Finding.Id, b.Finding.Id);
            order = order != 0 ? order : string.CompareOrdinal(a.Finding.Setting ?? "", b.Finding.Setting ?? "");
            return order != 0 ? order : a.Position.CompareTo(b.Position);
        });
        var sorted = new UsernsFinding[ranked.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = ranked[i].Finding;
        }

        return sorted;
    }
}
