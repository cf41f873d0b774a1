using System.Globalization;
using UsernsTools.Probes;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>Already inside a user namespace: limits of the parents apply, and nesting stops at depth 32.</summary>
internal sealed class NestedUserNamespaceRule : IDiagnosisRule
{
    /// <summary>The kernel's maximum nesting depth of user namespaces.</summary>
    public const int MaxDepth = 32;

    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var process = context.Process;
        if (!IsNested(process))
        {
            yield break;
        }

        var evidence = new List<string>();
        if (process.UidMap is not null)
        {
            evidence.Add($"/proc/self/uid_map: {Collapse(process.UidMap)}");
        }

        if (process.Setgroups is not null)
        {
            evidence.Add($"/proc/self/setgroups: {process.Setgroups.Trim()}");
        }

        if (process.UserNamespaceInode is long inode)
        {
            evidence.Add($"/proc/self/ns/user: user:[{inode.ToString(CultureInfo.InvariantCulture)}] (the initial one is user:[4026531837])");
        }

        if (process.UserNamespaceDepth is int recorded)
        {
            evidence.Add($"nesting depth {recorded.ToString(CultureInfo.InvariantCulture)}");
        }

        yield return new UsernsFinding
        {
            Id = FindingIds.InsideUserNamespace,
            Severity = Severity.Info,
            Evidence = evidence,
            Explanation = "This process already runs inside a user namespace (a container with user namespace remapping, rootless Podman, a sandbox). "
                + "What it may create is bounded by every parent's limits, which are not visible from here, and by the kernel's nesting limit of 32.",
            Remediation = "No change needed unless creation fails; limits must then be raised where the outer namespace was created (on the host).",
            FixCommand = null,
        };

        var max = context.Number(SettingNames.MaxUserNamespaces);
        var full = context.UserNamespaceFailedWith(Errno.ENOSPC, Errno.EUSERS);
        var atDepth = process.UserNamespaceDepth is int depth && depth >= MaxDepth;
        if ((full is not null && max is not 0) || atDepth)
        {
            var nestedEvidence = new List<string>();
            if (full is not null)
            {
                nestedEvidence.Add(Evidence.Of(full));
            }

            if (context.Setting(SettingNames.MaxUserNamespaces) is { } setting)
            {
                nestedEvidence.Add(Evidence.Of(setting));
            }

            yield return new UsernsFinding
            {
                Id = FindingIds.NestingLimitReached,
                Severity = Severity.Blocking,
                Evidence = nestedEvidence,
                Explanation = atDepth
                    ? "This process is 32 user namespaces deep, the kernel's limit: creating another fails with ENOSPC."
                    : "Creating a user namespace failed with ENOSPC although this namespace's own user.max_user_namespaces is above 0. "
                        + "Inside a user namespace that means the nesting depth of 32 is reached, or a parent namespace's limit (each namespace has its own copy) is 0 or used up.",
                Remediation = "Start the workload from a shallower level (fewer nested containers or sandboxes), or raise user.max_user_namespaces in the parent namespace, "
                    + "normally on the host (`sysctl user.max_user_namespaces`). It cannot be fixed from inside.",
                FixCommand = null,
            };
        }
    }

    private static bool IsNested(Facts.ProcessFacts process)
    {
        if (process.InInitialUserNamespace is bool initial)
        {
            return !initial;
        }

        if (process.UserNamespaceDepth is int depth)
        {
            return depth > 0;
        }

        // An empty map belongs to a namespace whose map was never written; a missing one to a kernel without them.
        return process.UidMap is not null && Collapse(process.UidMap) != "0 0 4294967295";
    }

    private static string Collapse(string map) =>
        string.Join(" ", map.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) is { Length: > 0 } text ? text : "(empty)";
}
