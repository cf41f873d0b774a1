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

    public static UsernsStatus Diagnose(UsernsSnapshot snapshot, bool fromReport = false)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var context = new DiagnosisContext(snapshot);
        foreach (var rule in Rules)
        {
            context.Add(rule.Evaluate(context).ToList());
        }

        var findings = Sort(DenialEvidence.Attach(context, context.EarlierFindings));
        return new UsernsStatus
        {
            Verdict = VerdictRules.Decide(context, findings),
            Subject = context.Subject,
            Hostname = context.Facts.Hostname ?? "",
            FromReport = fromReport,
            Findings = findings,
            Probes = context.Probes,
            BwrapProbes = context.BwrapProbes,
            Denials = context.Denials,
            Notes = snapshot.Notes ?? Array.Empty<string>(),
            Facts = context.Facts,
        };
    }

    /// <summary>Blocking first, then by Id, so the same machine always lists its findings in the same order.</summary>
    internal static IReadOnlyList<UsernsFinding> Sort(IEnumerable<UsernsFinding> findings) =>
        findings
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Id, StringComparer.Ordinal)
            .ThenBy(f => f.Setting ?? "", StringComparer.Ordinal)
            .ToArray();
}
