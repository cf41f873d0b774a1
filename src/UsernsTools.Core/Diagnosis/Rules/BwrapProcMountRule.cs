using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>
/// bwrap --proc cannot mount a new procfs (or make / a slave mount): containers with a masked /proc, or a policy that
/// forbids mounting in new namespaces. When the uid map is denied too, that finding already covers the cause.
/// </summary>
internal sealed class BwrapProcMountRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var failed = context.BwrapProbes
            .Where(p => p.ErrorKind is BwrapErrorKind.ProcMountDenied or BwrapErrorKind.MakeRootSlaveFailed)
            .ToList();
        if (failed.Count == 0 || context.BwrapProbes.Any(BwrapUidMapRule.IsMapDenial))
        {
            yield break;
        }

        var first = failed.Find(p => p.Mode == BwrapMode.Proc) ?? failed[0];
        var cause = BwrapAdvice.Cause(context, first);
        var (remediation, fix) = BwrapAdvice.Remediation(context, cause, context.BwrapProbePath);

        // Failing to make / a slave breaks every sandbox; failing to mount /proc only those that ask for a new one.
        var everySandbox = failed.Exists(p => p.ErrorKind == BwrapErrorKind.MakeRootSlaveFailed || p.Mode == BwrapMode.Strict);
        yield return new UsernsFinding
        {
            Id = FindingIds.BwrapProcMountDenied,
            Severity = everySandbox ? Severity.Blocking : Severity.Warning,
            Evidence = failed.Select(Evidence.Of).ToList(),
            Explanation = $"bwrap could not mount inside its new namespaces (`bwrap: {first.Message?.Trim()}`): "
                + (everySandbox ? "no bwrap sandbox can start. " : "sandboxes that mount their own /proc (`--proc /proc`, Flatpak) fail; `--dev-bind /proc /proc` ones work. ")
                + (cause.Text ?? first.Explanation),
            Remediation = remediation,
            FixCommand = fix,
        };
    }
}
