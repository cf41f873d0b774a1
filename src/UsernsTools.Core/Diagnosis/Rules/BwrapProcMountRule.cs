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
        var evidence = failed.Select(Evidence.Of).ToList();

        // Failing to make / a slave breaks every sandbox; failing to mount /proc only those that ask for a new one.
        var everySandbox = failed.Exists(p => p.ErrorKind == BwrapErrorKind.MakeRootSlaveFailed || p.Mode == BwrapMode.Strict);
        var scope = everySandbox
            ? "no bwrap sandbox can start. "
            : $"sandboxes that ask for a new pid namespace with its own /proc fail: every Flatpak app, `bwrap --unshare-pid --proc /proc`, `{context.Words.Run} {context.Words.MountProc}`; ones that bind the existing /proc work. ";
        var explanation = $"bwrap could not mount inside its new namespaces (`bwrap: {first.Message?.Trim()}`): " + scope;

        // A masked /proc is the cause the recorded mounts prove; name them, the container, and the fix from inside it.
        if (first.ErrorKind == BwrapErrorKind.ProcMountDenied && ProcMasking.Covering(context.Environment) is { Count: > 0 } covering)
        {
            evidence.AddRange(covering.Select(ProcMasking.Describe));
            evidence.AddRange((context.Environment.ContainerEvidence ?? Array.Empty<string>()).Select(e => "container marker: " + e));
            yield return new UsernsFinding
            {
                Id = FindingIds.BwrapProcMountDenied,
                Severity = everySandbox ? Severity.Blocking : Severity.Warning,
                Evidence = evidence,
                Explanation = explanation + ProcMasking.Cause(covering, context.Environment),
                Remediation = ProcMasking.Fix(context.Environment, context.Process.Seccomp, context.Words),
                Fix = null,
            };
            yield break;
        }

        var cause = BwrapAdvice.Cause(context, first);
        var (remediation, fix) = BwrapAdvice.Remediation(context, cause, context.BwrapProbePath);
        yield return new UsernsFinding
        {
            Id = FindingIds.BwrapProcMountDenied,
            Severity = everySandbox ? Severity.Blocking : Severity.Warning,
            Evidence = evidence,
            Explanation = explanation + (cause.Text ?? first.Explanation),
            Remediation = remediation,
            Fix = fix,
        };
    }
}
