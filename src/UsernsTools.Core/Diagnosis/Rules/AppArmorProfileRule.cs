using UsernsTools.Facts;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>AppArmor profiles that hurt: one confining bwrap without <c>userns,</c>, or two attaching to one program.</summary>
internal sealed class AppArmorProfileRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var modules = context.SecurityModules;
        if (modules.AppArmorEnabled == false)
        {
            yield break;
        }

        var profiles = (modules.AppArmorProfiles ?? Array.Empty<AppArmorProfileFact>()).Where(p => p is not null).ToList();
        var bwrapPath = context.BwrapPath;
        var bwrapProfiles = profiles.Where(p => AppArmorProfileMatch.AttachesTo(p, bwrapPath)).ToList();
        if (modules.AppArmorMediatesUserns && bwrapProfiles.Count > 0 && !bwrapProfiles.Exists(p => p.GrantsUserns))
        {
            var profile = bwrapProfiles[0];
            yield return new UsernsFinding
            {
                Id = FindingIds.BwrapAppArmorProfileLacksUserns,
                Severity = Severity.Blocking,
                Evidence = bwrapProfiles.Select(p => $"{p.File}: profile {p.Name} attaches to {p.Attachment} without `userns,`").ToList(),
                Explanation = $"{bwrapPath} is confined by the AppArmor profile {profile.Name}, which has no `userns,` rule, and this kernel lets AppArmor mediate user namespace creation: "
                    + "bwrap fails with `Creating new namespace failed: Permission denied` (EACCES), logged as apparmor=\"DENIED\" operation=\"userns_create\" profile=\"" + profile.Name + "\".",
                Remediation = $"Add the rule without editing the packaged file: put `userns,` in /etc/apparmor.d/local/{profile.Name} (the profile includes it when it has `include if exists <local/{profile.Name}>`), "
                    + $"then reload with `apparmor_parser -r {profile.File}`. Do not add a second profile for {bwrapPath}: two profiles attaching to one path conflict.",
                Fix = null,
            };
        }

        foreach (var group in profiles.Where(p => !string.IsNullOrEmpty(p.Attachment)).GroupBy(p => p.Attachment!, StringComparer.Ordinal))
        {
            var list = group.ToList();
            if (list.Count < 2)
            {
                continue;
            }

            yield return new UsernsFinding
            {
                Id = FindingIds.AppArmorProfilesConflict,
                Severity = Severity.Warning,
                Evidence = list.Select(p => $"{p.File}: profile {p.Name} attaches to {p.Attachment}").ToList(),
                Explanation = $"{list.Count} AppArmor profiles attach to {group.Key}; AppArmor cannot choose between them, so the program may run under the wrong one or fail to start "
                    + "(seen on Ubuntu 26.04 when a local bwrap profile met the one the apparmor package ships).",
                Remediation = "Keep one, normally the one the distribution's package ships, and remove the other: unload it with `apparmor_parser -R <file>`, "
                    + "delete the file, and check with `aa-status` that one profile remains for the path.",
                Fix = null,
            };
        }
    }
}
