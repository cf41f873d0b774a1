using UsernsTools.Facts;
using UsernsTools.Probes;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>
/// Runs last: probe failures that no earlier finding explains get an honest finding of their own, naming the
/// causes that errno usually has, rather than silence or a guess presented as fact.
/// </summary>
internal sealed class UnexplainedFailureRule : IDiagnosisRule
{
    private static readonly string[] EpermCauses =
    {
        FindingIds.UnprivilegedUsernsCloneDisabled, FindingIds.UsernsRestrictEnabled, FindingIds.SeccompBlocksUserns, FindingIds.ChrootBlocksUserns,
    };

    private static readonly string[] EaccesCauses =
    {
        FindingIds.AppArmorRestrictsUserns, FindingIds.AppArmorUsernsForceMode, FindingIds.BwrapAppArmorProfileLacksUserns, FindingIds.SelinuxDeniesUserns,
    };

    private static readonly string[] EnospcCauses =
    {
        FindingIds.MaxUserNamespacesZero, FindingIds.MaxUserNamespacesLow, FindingIds.NestingLimitReached,
    };

    private static readonly string[] EinvalCauses =
    {
        FindingIds.Wsl1NoUserNamespaces, FindingIds.UserNamespaceModuleDisabled, FindingIds.KernelWithoutUserNamespaces,
    };

    private static readonly string[] MapCauses =
    {
        FindingIds.AppArmorRestrictsUserns, FindingIds.AppArmorUsernsForceMode,
    };

    private static readonly string[] UseCauses =
    {
        FindingIds.AppArmorRestrictsUserns, FindingIds.SeccompBlocksUserns, FindingIds.GvisorLoopback,
    };

    private static readonly string[] LaunchCauses =
    {
        FindingIds.UnshareMissing, FindingIds.SetprivMissing, FindingIds.UnshareTooOld,
    };

    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var groups = new Dictionary<string, List<UsernsProbeResult>>(StringComparer.Ordinal);
        foreach (var probe in context.Probes.Where(p => p is not null && !p.Succeeded))
        {
            var id = Classify(context, probe);
            if (id is null)
            {
                continue;
            }

            if (!groups.TryGetValue(id, out var list))
            {
                groups[id] = list = new List<UsernsProbeResult>();
            }

            list.Add(probe);
        }

        foreach (var (id, probes) in groups)
        {
            // Failing to create or map the user namespace itself blocks everything; another kind failing limits sandboxes.
            var severity = id == FindingIds.ProbeTimedOut
                ? Severity.Warning
                : probes.Exists(p => p.Name is ProbeNames.CreateUserNamespace or ProbeNames.MapRootUser) ? Severity.Blocking : Severity.Warning;
            var (explanation, remediation) = Text(id, context.Words);
            yield return new UsernsFinding
            {
                Id = id,
                Severity = severity,
                Evidence = probes.Select(Evidence.Of).ToList(),
                Explanation = explanation,
                Remediation = remediation,
                Fix = null,
            };
        }
    }

    /// <summary>The finding id for a failure nothing explains; null when an earlier finding explains it.</summary>
    private static string? Classify(DiagnosisContext context, UsernsProbeResult probe)
    {
        bool Explained(string[] causes) => causes.Any(context.HasFinding);

        switch (probe.Stage)
        {
            case ProbeStage.Timeout:
                return FindingIds.ProbeTimedOut;
            case ProbeStage.Launch:
                return Explained(LaunchCauses) ? null : FindingIds.UnexplainedProbeFailure;
            case ProbeStage.Map:
                return Explained(MapCauses) ? null : FindingIds.UnexplainedMapFailure;
            case ProbeStage.Use:
                return Explained(UseCauses) ? null : FindingIds.UnexplainedProbeFailure;
            case ProbeStage.Create:
                break;
            default:
                return FindingIds.UnexplainedProbeFailure;
        }

        switch (probe.Errno)
        {
            case Errno.EPERM:
                return Explained(EpermCauses) ? null : FindingIds.UnexplainedEperm;
            case Errno.EACCES:
                return Explained(EaccesCauses) ? null : FindingIds.UnexplainedEacces;
            case Errno.ENOSPC or Errno.EUSERS:
                // A kind's own zero limit explains its probe; the user namespace limits explain every probe.
                var kindLimit = NamespaceKindLimits.All.FirstOrDefault(k => k.Probe == probe.Name).FindingId;
                return Explained(EnospcCauses) || (kindLimit is not null && context.HasFinding(kindLimit)) ? null : FindingIds.UnexplainedEnospc;
            case Errno.EINVAL:
                return Explained(EinvalCauses) ? null : FindingIds.UnexplainedEinval;
            case Errno.ENOSYS:
                return Explained([FindingIds.SeccompBlocksUserns]) ? null : FindingIds.UnexplainedEnosys;
            default:
                return FindingIds.UnexplainedProbeFailure;
        }
    }

    private static (string Explanation, string Remediation) Text(string id, Configuration.FrontEndWords words) => id switch
    {
        FindingIds.UnexplainedEperm => (
            "Creating a namespace was refused with EPERM, but no restricting setting is set (kernel.unprivileged_userns_clone, kernel.userns_restrict) "
            + "and no seccomp filter or chroot was recorded. The likely cause is a seccomp filter or a chroot the facts could not see: "
            + "a container runtime's profile, a systemd unit's RestrictNamespaces=, or a sandbox around the diagnosing process.",
            "Check the context of the failing program: `grep -E 'Seccomp|NoNewPrivs' /proc/self/status` and whether `/` is its real root. "
            + "Allow CLONE_NEWUSER in that seccomp profile or run the program outside the chroot; do not fall back to setuid bwrap."),
        FindingIds.UnexplainedEacces => (
            "Creating a namespace was refused with EACCES: a Linux security module denied it (AppArmor, SELinux, or a BPF LSM with a userns_create hook), "
            + "although the recorded AppArmor and SELinux state does not show which.",
            $"Read the kernel and audit logs for the denial (`{words.Denials}`, or `journalctl -k | grep userns_create` and `ausearch -m avc`), "
            + "then grant user namespaces to that one program in the module's policy."),
        FindingIds.UnexplainedEnospc => (
            "Creating a namespace failed with ENOSPC although the visible limits are above 0: the namespaces in use reached the limit "
            + "(user.max_user_namespaces counts per user and namespace), a parent namespace's own lower limit applies, or the nesting depth of 32 is reached.",
            "Count the namespaces in use (`lsns -t user`) and look for leaked ones; raise user.max_user_namespaces "
            + $"(`{SysctlAdvice.Fix(SettingNames.MaxUserNamespaces, SettingCatalog.RecommendedMaxUserNamespaces.ToString(System.Globalization.CultureInfo.InvariantCulture)).Render(words)}`) "
            + "or, inside a container, on the host."),
        FindingIds.UnexplainedEinval => (
            "Creating a namespace failed with EINVAL: the kernel lacks CONFIG_USER_NS, it is WSL1, a RHEL 7 kernel has user_namespace.enable off, "
            + "or the caller was multithreaded; none of these was recorded.",
            "Check `ls /proc/self/ns/user`, `cat /proc/sys/kernel/osrelease` and `cat /sys/module/user_namespace/parameters/enable`; "
            + "create namespaces from a single-threaded helper (unshare, bwrap), never in-process from a runtime with threads."),
        FindingIds.UnexplainedEnosys => (
            "A namespace call returned ENOSYS: a seccomp filter that does not know clone3 answers it so, or the kernel lacks the call; no filter was recorded.",
            "Update the container runtime (its seccomp profile then handles clone3), or use a tool built to fall back to clone/unshare."),
        FindingIds.UnexplainedMapFailure => (
            "The namespace was created but writing setgroups, gid_map or uid_map was refused, and no AppArmor restriction was recorded. "
            + "Possible causes: a security module policy, a container whose /proc is read-only or belongs to another namespace, "
            + "or a map asking for ids the subject does not own.",
            $"Read the probe's message and the kernel log (`{words.Denials}`); test `unshare --user --map-root-user id` in the same context."),
        FindingIds.ProbeTimedOut => (
            "A probe did not finish in time, so its result is unknown. A heavily loaded machine, a blocking NSS lookup, or a hung helper can cause it.",
            $"Run `{words.Status}` again; if it keeps timing out, run the probe's command by hand to see where it stops."),
        _ => (
            "A probe failed in a way no other finding explains; its message (in the evidence) is the best clue.",
            $"Run the probe's command by hand as the subject and read the full error, and the kernel log (`{words.Denials}`)."),
    };
}
