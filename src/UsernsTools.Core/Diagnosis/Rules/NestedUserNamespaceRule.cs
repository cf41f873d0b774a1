using UsernsTools.Facts;
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
            Fix = null,
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

            var setting = context.Setting(SettingNames.MaxUserNamespaces);
            if (setting is not null)
            {
                nestedEvidence.Add(Evidence.Of(setting) + " (this namespace's own limit)");
            }

            if (process.UserNamespaceDepth is int level)
            {
                nestedEvidence.Add($"nesting depth {level.ToString(CultureInfo.InvariantCulture)} of {MaxDepth.ToString(CultureInfo.InvariantCulture)}");
            }

            // Each user namespace has its own user.max_user_namespaces, and creation must stay under the limit of this
            // namespace and of every parent. A low limit read here binds before any parent's can be suspected.
            var ownLimitBinds = !atDepth && setting is not null && max is long own && own < SysctlAdvice.LowMaxUserNamespaces;
            string explanation;
            string remediation;
            if (atDepth)
            {
                explanation = "This process is 32 user namespaces deep, the kernel's limit: creating another fails with ENOSPC.";
                remediation = "Start the workload from a shallower level (fewer nested containers or sandboxes). No setting raises the depth limit.";
            }
            else if (ownLimitBinds)
            {
                var recommended = SettingCatalog.RecommendedMaxUserNamespaces.ToString(CultureInfo.InvariantCulture);
                explanation = $"Creating a user namespace failed with {full!.Errno}, and this namespace's own user.max_user_namespaces is {max!.Value.ToString(CultureInfo.InvariantCulture)}: "
                    + "that is the limit that binds. Each user namespace has its own copy of the user.max_* limits in /proc/sys/user, counting the namespaces created below it; "
                    + "the parents' limits (not visible from here) apply as well, but this one is reached first"
                    + (process.UserNamespaceDepth is int d ? $", well before the nesting depth limit of 32 (this is depth {d.ToString(CultureInfo.InvariantCulture)})." : ".");
                remediation = $"The root of this namespace can raise its own limit: `sysctl -w user.max_user_namespaces={recommended}` (or `echo {recommended} > /proc/sys/user/max_user_namespaces`) as uid 0 here, "
                    + "which needs CAP_SYS_RESOURCE in this namespace and /proc/sys mounted writable. "
                    + "A file under /etc/sysctl.d does not apply to this namespace: set the value in the script or runtime that creates it, each time it starts.";
            }
            else
            {
                explanation = $"Creating a user namespace failed with {(full?.Errno ?? Errno.ENOSPC)} although this namespace's own user.max_user_namespaces is {(max is long m ? m.ToString(CultureInfo.InvariantCulture) : "unreadable")}. "
                    + "Inside a user namespace that means the nesting depth of 32 is reached, or a parent namespace's limit (each namespace has its own copy) is 0 or used up.";
                remediation = "Start the workload from a shallower level (fewer nested containers or sandboxes), or raise user.max_user_namespaces in the parent namespace, "
                    + "normally on the host (`sysctl user.max_user_namespaces`). It cannot be fixed from inside.";
            }

            yield return new UsernsFinding
            {
                Id = FindingIds.NestingLimitReached,
                Severity = Severity.Blocking,
                Setting = ownLimitBinds ? setting!.Name : null,
                CurrentValue = ownLimitBinds ? setting!.RuntimeValue?.Trim() : null,
                Evidence = nestedEvidence,
                Explanation = explanation,
                Remediation = remediation,
                Fix = ownLimitBinds ? SysctlAdvice.RuntimeFix(setting!.Name, SettingCatalog.RecommendedMaxUserNamespaces.ToString(CultureInfo.InvariantCulture)) : null,
            };
        }
    }

    /// <summary>True when the process runs below the initial user namespace, where the user.* limits are its own copies.</summary>
    internal static bool IsNested(Facts.ProcessFacts process)
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
