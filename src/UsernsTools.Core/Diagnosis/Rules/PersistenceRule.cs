using UsernsTools.Configuration;
using UsernsTools.Facts;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>Settings whose boot value differs from the running one, and assignments that a later file overrides.</summary>
internal sealed class PersistenceRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        foreach (var setting in (context.Facts.Settings ?? Array.Empty<UsernsSetting>()).Where(s => s is { Present: true }))
        {
            var runtime = setting.RuntimeValue?.Trim();
            var persisted = setting.PersistedValue?.Trim();
            if (runtime is not null && persisted is not null && !SameValue(runtime, persisted))
            {
                var source = setting.PersistedSource ?? "sysctl configuration";
                yield return new UsernsFinding
                {
                    Id = FindingIds.PersistedValueDiffers,
                    Severity = Severity.Warning,
                    Setting = setting.Name,
                    CurrentValue = runtime,
                    RecommendedValue = null,
                    Evidence = new[] { Evidence.Of(setting) },
                    Explanation = $"{setting.Name} is {runtime} now but will change to {persisted} at the next boot: {source} sets it. "
                        + "Someone changed it at run time without persisting it, or edited the file without applying it.",
                    Remediation = $"Decide which value is right. To keep {runtime}: `{context.Words.SetSetting(setting.Name, runtime, ChangeScope.Persistent)}`"
                        + (setting.PersistedSource is { } file && SysctlBootOrder.WinsOverDropIn(SysctlBootOrder.FileOf(file)) ? $" after you {SysctlBootOrder.HowToChange(source)} (it sorts after {SysctlBootOrder.DropInName} and would still win)" : "")
                        + $". To apply {persisted} now: `sysctl --system` or `{context.Words.SetSetting(setting.Name, persisted, ChangeScope.Runtime)}`.",
                    Fix = null,
                };
            }

            var shadowed = (setting.Shadowed ?? Array.Empty<SysctlAssignment>()).Where(a => a is not null).ToList();
            if (shadowed.Count > 0 && setting.PersistedSource is not null)
            {
                var evidence = new List<string> { $"{setting.PersistedSource}: {setting.Name} = {persisted} (wins)" };
                evidence.AddRange(shadowed.Select(a => $"{a.Source}: {a.Key} = {a.Value} (ignored)"));
                yield return new UsernsFinding
                {
                    Id = FindingIds.SettingShadowed,
                    Severity = Severity.Info,
                    Setting = setting.Name,
                    CurrentValue = persisted,
                    Evidence = evidence,
                    Explanation = $"{shadowed.Count + 1} files set {setting.Name}; at boot {setting.PersistedSource} wins (files are applied in lexical order of their names, "
                        + "/etc/sysctl.conf last) and " + string.Join(", ", shadowed.Select(a => a.Source)) + " " + (shadowed.Count == 1 ? "has" : "have") + " no effect.",
                    Remediation = $"To change the boot value, {SysctlBootOrder.HowToChange(setting.PersistedSource)}; editing an ignored file changes nothing. "
                        + "Remove the ignored assignments you own to avoid confusion.",
                    Fix = null,
                };
            }
        }
    }

    private static bool SameValue(string a, string b) =>
        string.Equals(string.Join(' ', a.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), string.Join(' ', b.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), StringComparison.OrdinalIgnoreCase);
}
