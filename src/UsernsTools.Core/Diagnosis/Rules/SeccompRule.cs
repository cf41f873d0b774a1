using UsernsTools.Facts;
using UsernsTools.Probes;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>A seccomp filter (Docker's default profile, Kubernetes, a systemd unit) that refuses CLONE_NEWUSER.</summary>
internal sealed class SeccompRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var process = context.Process;
        if (process.Seccomp != 2)
        {
            yield break;
        }

        var container = context.Environment.Container;
        var evidence = new List<string> { $"/proc/self/status: Seccomp: 2 (filter){(process.SeccompFilters is int n ? $", Seccomp_filters: {n}" : "")}" };
        evidence.AddRange((context.Environment.ContainerEvidence ?? Array.Empty<string>()).Select(e => "container marker: " + e));

        var failure = context.UserNamespaceFailedWith(Errno.EPERM, Errno.ENOSYS);
        if (failure is not null)
        {
            evidence.Add(Evidence.Of(failure));
            // EPERM is also what the sysctl switches give; when one of them is set, the filter is only a possible second cause.
            var sysctlExplains = context.Number(SettingNames.UnprivilegedUsernsClone) == 0 || context.Number(SettingNames.UsernsRestrict) is > 0;
            yield return new UsernsFinding
            {
                Id = FindingIds.SeccompBlocksUserns,
                Severity = sysctlExplains && failure.Errno == Errno.EPERM ? Severity.Warning : Severity.Blocking,
                Evidence = evidence,
                Explanation = Explanation(container) + (failure.Errno == Errno.ENOSYS ? " clone3 answers ENOSYS under such filters." : ""),
                Remediation = Remediation(container),
                Fix = null,
            };
            yield break;
        }

        // Creation worked, or failed with an errno the filter does not give (ENOSPC, EACCES...): the filter is not the cause.
        if (context.CreationWorks == true || context.UserNamespaceFailedWith() is not null)
        {
            yield break;
        }

        yield return new UsernsFinding
        {
            Id = FindingIds.SeccompFilterActive,
            Severity = container == ContainerKind.None ? Severity.Info : Severity.Warning,
            Evidence = evidence,
            Explanation = "A seccomp filter is active and no probe showed whether it lets this process create user namespaces. " + Explanation(container),
            Remediation = $"Run `{context.Words.Status}` without {context.Words.NoProbe} in the same context to find out. If creation fails with EPERM: " + Remediation(container),
            Fix = null,
        };
    }

    private static string Explanation(ContainerKind container) => container switch
    {
        ContainerKind.Docker => "Docker's default seccomp profile allows clone only without namespace flags and refuses unshare, so creating a user namespace fails with EPERM unless the container has CAP_SYS_ADMIN.",
        ContainerKind.Kubernetes => "The pod's seccomp profile (RuntimeDefault is the container runtime's default) refuses namespace flags to clone and unshare, so creating a user namespace fails with EPERM.",
        ContainerKind.Podman => "The container's seccomp profile refuses creating user namespaces here (EPERM).",
        ContainerKind.None => "Outside a container such a filter comes from a systemd unit (RestrictNamespaces=, SystemCallFilter=) or a sandbox the process was started in; it refuses creating user namespaces with EPERM.",
        _ => "The container's seccomp filter refuses creating user namespaces (EPERM).",
    };

    private static string Remediation(ContainerKind container) => container switch
    {
        ContainerKind.Docker or ContainerKind.Podman =>
            "Run the container with a seccomp profile that allows clone, clone3 and unshare with CLONE_NEWUSER: copy the runtime's default profile, add those calls without the namespace-flag condition, "
            + "and start it with `--security-opt seccomp=/path/to/profile.json`. Avoid `--privileged` as a first choice: it also grants every capability and device; "
            + "`--cap-add SYS_ADMIN` lifts the block too, but gives far more than user namespaces.",
        ContainerKind.Kubernetes =>
            "Give the pod a Localhost seccomp profile that allows clone, clone3 and unshare with CLONE_NEWUSER (securityContext.seccompProfile: type Localhost), "
            + "rather than `privileged: true` or CAP_SYS_ADMIN.",
        ContainerKind.None =>
            "Allow user namespaces where the filter is set: for a systemd unit, `RestrictNamespaces=` must not exclude `user` (e.g. `RestrictNamespaces=user mnt`), and SystemCallFilter= must allow unshare and clone3.",
        _ => "Start the container with a seccomp profile that allows clone, clone3 and unshare with CLONE_NEWUSER rather than as privileged.",
    };
}
