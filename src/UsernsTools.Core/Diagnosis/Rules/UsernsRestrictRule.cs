using UsernsTools.Facts;
using UsernsTools.Probes;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>kernel.userns_restrict = 1: ALT Linux's switch restricting unprivileged creation.</summary>
internal sealed class UsernsRestrictRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var setting = context.Setting(SettingNames.UsernsRestrict);
        if (setting is null || context.Number(setting.Name) is not long value || value == 0)
        {
            yield break;
        }

        var evidence = new List<string> { Evidence.Of(setting) };
        if (context.UserNamespaceFailedWith(Errno.EPERM) is { } probe)
        {
            evidence.Add(Evidence.Of(probe));
        }

        yield return new UsernsFinding
        {
            Id = FindingIds.UsernsRestrictEnabled,
            Severity = context.SubjectIsRoot ? Severity.Warning : Severity.Blocking,
            Setting = setting.Name,
            CurrentValue = setting.RuntimeValue?.Trim(),
            RecommendedValue = "0",
            Evidence = evidence,
            Explanation = "With kernel.userns_restrict = 1 (an ALT Linux kernel setting) unprivileged processes may not create user namespaces; "
                + "they fail with EPERM.",
            Remediation = "Set it to 0: " + SysctlAdvice.SetNowAndAtBoot(setting, "0", context.Words),
            Fix = SysctlAdvice.Fix(setting.Name, "0"),
        };
    }
}
