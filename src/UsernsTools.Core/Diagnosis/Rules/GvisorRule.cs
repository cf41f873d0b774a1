namespace UsernsTools.Diagnosis.Rules;

/// <summary>gVisor pre-configures loopback, which makes one bwrap error message harmless there.</summary>
internal sealed class GvisorRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        if (!context.Environment.Gvisor)
        {
            yield break;
        }

        yield return new UsernsFinding
        {
            Id = FindingIds.GvisorLoopback,
            Severity = Severity.Info,
            Evidence = new[] { $"gVisor (runsc) detected; kernel release {context.Facts.Kernel?.Release ?? "(unknown)"}" },
            Explanation = "This process runs under gVisor, whose network stack brings loopback up in every network namespace. "
                + "bwrap's `loopback: Failed RTM_NEWADDR: Operation not permitted` means nothing here.",
            Remediation = "No change needed; ignore that message under gVisor.",
            Fix = null,
        };
    }
}
