using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>
/// bwrap --unshare-net cannot bring up loopback in the new network namespace (no CAP_NET_ADMIN inside). When the
/// uid map is denied too, that finding already covers the cause; on gVisor the message is harmless.
/// </summary>
internal sealed class BwrapLoopbackRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var network = context.BwrapProbes.FirstOrDefault(p => p.ErrorKind == BwrapErrorKind.LoopbackSetupDenied);
        if (network is null || context.Environment.Gvisor || context.BwrapProbes.Any(BwrapUidMapRule.IsMapDenial))
        {
            yield break;
        }

        var cause = BwrapAdvice.Cause(context, network);
        var (remediation, fix) = BwrapAdvice.Remediation(context, cause, context.BwrapProbePath);
        yield return new UsernsFinding
        {
            Id = FindingIds.BwrapLoopbackDenied,
            Severity = Severity.Warning,
            Evidence = new[] { Evidence.Of(network) },
            Explanation = "bwrap with --unshare-net could not set up loopback in the new network namespace (`bwrap: " + network.Message?.Trim() + "`): "
                + "sandboxes without network access (Flatpak apps without network permission, `bwrap --unshare-all`) fail, those sharing the network work. "
                + (cause.Text ?? network.Explanation),
            Remediation = remediation,
            Fix = fix,
        };
    }
}
