using UsernsTools.Probes;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>The kernel refuses CLONE_NEWUSER with EPERM to a process whose root is a chroot.</summary>
internal sealed class ChrootRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        if (context.Environment.InChroot != true || context.CreationWorks == true)
        {
            yield break;
        }

        var evidence = new List<string> { "the root directory differs from init's root (chroot)" };
        var failure = context.UserNamespaceFailedWith(Errno.EPERM);
        if (failure is not null)
        {
            evidence.Add(Evidence.Of(failure));
        }

        yield return new UsernsFinding
        {
            Id = FindingIds.ChrootBlocksUserns,
            Severity = failure is not null ? Severity.Blocking : Severity.Warning,
            Evidence = evidence,
            Explanation = "This process runs inside a chroot. The kernel refuses to create a user namespace from a chrooted process (EPERM), "
                + "because the new namespace's capabilities could be used to escape the chroot.",
            Remediation = "Run the program outside the chroot, or replace the chroot with a mount namespace and pivot_root, as bwrap, systemd-nspawn and Podman do.",
            Fix = null,
        };
    }
}
