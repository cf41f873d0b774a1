namespace UsernsTools.Diagnosis.Rules;

/// <summary>NoNewPrivs = 1: setuid and file-capability helpers (newuidmap, newgidmap) cannot gain privileges.</summary>
internal sealed class NoNewPrivsRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        if (context.Process.NoNewPrivs != true)
        {
            yield break;
        }

        yield return new UsernsFinding
        {
            Id = FindingIds.NoNewPrivsSet,
            Severity = Severity.Warning,
            Evidence = new[] { "/proc/self/status: NoNewPrivs: 1" },
            Explanation = "no_new_privs is set for this process (a container started with no-new-privileges, a systemd unit with NoNewPrivileges=yes, or a sandbox): "
                + "setuid programs and file capabilities no longer grant anything, so newuidmap/newgidmap cannot write multi-id maps and rootless Podman fails "
                + "(`newuidmap: write to uid_map failed: Operation not permitted`). A user namespace that maps only the subject's own id (unshare -r, bwrap) still works.",
            Remediation = "Run rootless containers from a context without no_new_privs: drop `--security-opt no-new-privileges` or `NoNewPrivileges=yes` where it is set for this workload. "
                + "It cannot be cleared from inside the process.",
            Fix = null,
        };
    }
}
