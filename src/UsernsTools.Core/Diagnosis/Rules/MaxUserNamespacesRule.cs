using UsernsTools.Facts;
using System.Globalization;
using UsernsTools.Probes;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>user.max_user_namespaces = 0 (nobody may create one, root included) or so low that it runs out.</summary>
internal sealed class MaxUserNamespacesRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var setting = context.Setting(SettingNames.MaxUserNamespaces);
        if (setting is null || context.Number(setting.Name) is not long value || value >= SysctlAdvice.LowMaxUserNamespaces)
        {
            yield break;
        }

        // Below the initial namespace the value is this namespace's own copy: when creation ran out, the nesting rule names
        // the binding limit and how to raise it, and no /etc/sysctl.d file applies to it.
        var nested = NestedUserNamespaceRule.IsNested(context.Process);
        if (nested && value > 0 && context.UserNamespaceFailedWith(Errno.ENOSPC, Errno.EUSERS) is not null)
        {
            yield break;
        }

        var recommended = SettingCatalog.RecommendedMaxUserNamespaces.ToString(CultureInfo.InvariantCulture);
        var raise = nested
            ? $"it is this user namespace's own limit: its root raises it with `sysctl -w {setting.Name}={recommended}` (CAP_SYS_RESOURCE here and /proc/sys mounted writable), "
                + "in the script or runtime that starts the namespace; no file under /etc/sysctl.d applies to it."
            : SysctlAdvice.SetNowAndAtBoot(setting, recommended, context.Words);
        var fix = nested ? SysctlAdvice.RuntimeFix(setting.Name, recommended) : SysctlAdvice.Fix(setting.Name, recommended);
        var evidence = new List<string> { Evidence.Of(setting) };
        if (context.UserNamespaceFailedWith(Errno.ENOSPC, Errno.EUSERS) is { } probe)
        {
            evidence.Add(Evidence.Of(probe));
        }

        var distro = context.Distribution;
        if (value <= 0)
        {
            var why = distro.Family == OsFamily.Rhel && distro.MajorVersion == 7
                ? " RHEL/CentOS 7.4 and later ship 0 by default; Red Hat documents user.max_user_namespaces=28633 in /etc/sysctl.d/userns.conf for rootless containers."
                : distro.Family == OsFamily.Rhel && distro.MajorVersion is 8 or 9
                    ? " RHEL 8 and 9 enable user namespaces by default; 0 is what the DISA STIG (RHEL 8 SV-230548, RHEL 9 SV-257816) asks for on hosts that do not run containers."
                    : "";
            yield return new UsernsFinding
            {
                Id = FindingIds.MaxUserNamespacesZero,
                Severity = Severity.Blocking,
                Setting = setting.Name,
                CurrentValue = setting.RuntimeValue?.Trim(),
                RecommendedValue = recommended,
                Evidence = evidence,
                Explanation = "user.max_user_namespaces = 0 allows no user namespace below this one, for any user, root included: "
                    + "creating one fails with ENOSPC (`unshare: unshare failed: No space left on device`, "
                    + "`bwrap: Creating new namespace failed: nesting depth or /proc/sys/user/max_*_namespaces exceeded (ENOSPC)`)." + why,
                Remediation = $"If this host is meant to run sandboxes or rootless containers, raise it (the kernel's default is about half of kernel.threads-max; {recommended} is plenty for containers and desktop sandboxes): "
                    + raise
                    + " If the 0 is a hardening policy, keep it and run the workload on a host meant for it.",
                Fix = fix,
            };
            yield break;
        }

        yield return new UsernsFinding
        {
            Id = FindingIds.MaxUserNamespacesLow,
            Severity = Severity.Warning,
            Setting = setting.Name,
            CurrentValue = setting.RuntimeValue?.Trim(),
            RecommendedValue = recommended,
            Evidence = evidence,
            Explanation = $"user.max_user_namespaces = {value} allows creation, but every sandboxed process, browser tab sandbox and container holds one; "
                + $"below {SysctlAdvice.LowMaxUserNamespaces} a busy machine runs out and creation then fails with ENOSPC.",
            Remediation = "Raise it: " + raise,
            Fix = fix,
        };
    }
}
