using UsernsTools.Configuration;
using UsernsTools.Facts;
namespace UsernsTools.Diagnosis.Rules;

/// <summary>
/// A configuration file turns user namespaces off on purpose. Hardening is a real direction (DISA STIG), so the
/// diagnosis says so instead of presenting the switch as a mere mistake.
/// </summary>
internal sealed class HardeningRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var switches = new[]
        {
            (Name: SettingNames.MaxUserNamespaces, Off: 0L),
            (Name: SettingNames.UnprivilegedUsernsClone, Off: 0L),
            (Name: SettingNames.UsernsRestrict, Off: 1L),
        };

        foreach (var (name, off) in switches)
        {
            var setting = context.Setting(name);
            if (setting?.PersistedSource is null || DiagnosisContext.ParseNumber(setting.PersistedValue) != off)
            {
                continue;
            }

            var distro = context.Distribution;
            var stig = name == SettingNames.MaxUserNamespaces && distro.Family == OsFamily.Rhel && distro.MajorVersion is 8 or 9
                ? $" The DISA STIG for RHEL {distro.MajorVersion} ({(distro.MajorVersion == 8 ? "SV-230548" : "SV-257816")}) requires exactly this on hosts that do not run containers."
                : "";
            yield return new UsernsFinding
            {
                Id = FindingIds.UsernsDisabledByHardening,
                Severity = Severity.Info,
                Setting = name,
                CurrentValue = setting.PersistedValue?.Trim(),
                Evidence = new[] { $"{setting.PersistedSource}: {name} = {setting.PersistedValue?.Trim()}" },
                Explanation = $"{setting.PersistedSource} sets {name} = {setting.PersistedValue?.Trim()} at every boot: user namespaces were turned off on purpose, "
                    + "usually as hardening, since they expose kernel code to unprivileged users." + stig,
                Remediation = "Ask whoever owns that policy before changing it. If this host must run sandboxes or rootless containers, record an exception to the policy "
                    + (SysctlBootOrder.IsOverriddenFromEtc(SysctlBootOrder.FileOf(setting.PersistedSource))
                        ? $"and {SysctlBootOrder.HowToChange(setting.PersistedSource)}, so the policy and the running value agree."
                        : $"and change the value in {setting.PersistedSource} itself, so the policy file and the running value agree."),
                Fix = null,
            };
        }
    }
}
