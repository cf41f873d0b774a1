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
                if (RestrictionReturnsAtBoot(context, setting.Name, runtime, persisted) is { } returns)
                {
                    yield return Returns(context, setting, runtime, persisted, source, returns);
                    continue;
                }

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

    /// <summary>
    /// The switches that lift a restriction for every program, with the value that lifts it: when the running value is
    /// lifted and boot puts the restriction back, a reboot undoes the change. Null when this setting is not such a case.
    /// </summary>
    private static string? RestrictionReturnsAtBoot(DiagnosisContext context, string name, string runtime, string persisted)
    {
        var lifted = name switch
        {
            SettingNames.AppArmorRestrictUnprivilegedUserns => runtime == "0" && persisted == "1",
            SettingNames.UnprivilegedUsernsClone => runtime == "1" && persisted == "0",
            SettingNames.UsernsRestrict => runtime == "0" && persisted != "0",
            SettingNames.MaxUserNamespaces => persisted == "0" && DiagnosisContext.ParseNumber(runtime) > 0,
            _ => false,
        };
        return lifted && (name != SettingNames.AppArmorRestrictUnprivilegedUserns || context.SecurityModules.AppArmorEnabled != false) ? name : null;
    }

    /// <summary>
    /// A runtime change a reboot will undo. For Ubuntu's AppArmor switch the least-privilege fix comes first: a profile for
    /// each program that needs user namespaces keeps them working with the restriction back on, and only then the
    /// global switch, persisted.
    /// </summary>
    private static UsernsFinding Returns(DiagnosisContext context, UsernsSetting setting, string runtime, string persisted, string source, string name)
    {
        var words = context.Words;

        // A boot file that sorts after our drop-in still wins: persisting alone would not last, so it is changed first.
        var bootFileWins = setting.PersistedSource is { } file && SysctlBootOrder.WinsOverDropIn(SysctlBootOrder.FileOf(file));
        var persist = $"`{words.SetSetting(setting.Name, runtime, ChangeScope.Persistent)}`"
            + (bootFileWins ? $" after you {SysctlBootOrder.HowToChange(source)} (it sorts after {SysctlBootOrder.DropInName} and would still win)" : "");
        UsernsFinding Finding(string explanation, string remediation, FindingFix? fix) => new()
        {
            Id = FindingIds.PersistedValueDiffers,
            Severity = Severity.Warning,
            Setting = setting.Name,
            CurrentValue = runtime,
            Evidence = new[] { Evidence.Of(setting) },
            Explanation = explanation,
            Remediation = remediation,
            Fix = fix,
        };

        if (name == SettingNames.AppArmorRestrictUnprivilegedUserns)
        {
            var profiles = FindingFix.Profiles(new[] { context.BwrapPath }.Concat(context.RestrictedPrograms));
            return Finding(
                $"The AppArmor user namespace restriction is off now ({setting.Name} = {runtime}), but {source} sets {persisted} at boot: "
                    + "the next boot turns it back on, and every unconfined program that creates a user namespace (bwrap and Flatpak, a browser's sandbox, unshare) "
                    + "then loses its capabilities inside it again, unless its own AppArmor profile has `userns,`.",
                $"Least privilege first: keep the restriction and give the programs that need user namespaces their own profile, so they keep working after the reboot: "
                    + $"`{context.Command(profiles)}` {BwrapAdvice.WhatTheProfileFixWrites(context.BwrapPath)}."
                    + Rules.AppArmorRestrictionRule.RestrictedText(context)
                    + $" Then `sysctl --system` (or a reboot) turns the restriction back on. Only if a program cannot have a profile, keep it off for every program at boot: {persist}.",
                profiles);
        }

        return Finding(
            $"{setting.Name} is {runtime} now, which lets unprivileged user namespaces be created, but {source} sets {persisted} at boot: "
                + "the next boot undoes the change and they are refused again.",
            $"To keep user namespaces after a reboot, persist the value: {persist}. If the boot value is the policy, "
                + $"apply it now instead: `sysctl --system` or `{words.SetSetting(setting.Name, persisted, ChangeScope.Runtime)}`.",
            bootFileWins ? null : FindingFix.Set(setting.Name, runtime, ChangeScope.Persistent));
    }

    private static bool SameValue(string a, string b) =>
        string.Equals(string.Join(' ', a.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), string.Join(' ', b.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), StringComparison.OrdinalIgnoreCase);
}
