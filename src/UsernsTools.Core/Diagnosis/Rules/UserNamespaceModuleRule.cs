using UsernsTools.Facts;
using UsernsTools.Probes;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>RHEL/CentOS 7.0-7.3: user namespaces are compiled in but off unless booted with user_namespace.enable=1.</summary>
internal sealed class UserNamespaceModuleRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var setting = context.Setting(SettingNames.UserNamespaceEnable);
        var value = setting?.RuntimeValue?.Trim();
        if (setting is null || !(string.Equals(value, "N", StringComparison.OrdinalIgnoreCase) || value == "0"))
        {
            yield break;
        }

        var evidence = new List<string> { Evidence.Of(setting) };
        if (context.UserNamespaceFailedWith(Errno.EINVAL) is { } probe)
        {
            evidence.Add(Evidence.Of(probe));
        }

        yield return new UsernsFinding
        {
            Id = FindingIds.UserNamespaceModuleDisabled,
            Severity = Severity.Blocking,
            Setting = setting.Name,
            CurrentValue = value,
            RecommendedValue = "Y",
            Evidence = evidence,
            Explanation = "This kernel (RHEL/CentOS 7.0-7.3) has user namespaces built in but switched off: /sys/module/user_namespace/parameters/enable is N, "
                + "so creating one fails with EINVAL (`unshare: unshare failed: Invalid argument`). "
                + "It is a boot option, not a sysctl: it cannot be changed on the running kernel, and no UsernsTools command changes it.",
            Remediation = "Enable it at boot: " + context.Distribution.AddBootOption("user_namespace.enable=1") + ". "
                + "Updating to RHEL 7.4 or later replaces this switch with the sysctl user.max_user_namespaces (0 by default there), which can be raised without a reboot.",
            Fix = null,
        };
    }
}
