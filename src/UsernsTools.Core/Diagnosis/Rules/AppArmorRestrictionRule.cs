using UsernsTools.Facts;
using UsernsTools.Probes;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>
/// Ubuntu's AppArmor user namespace restriction (kernel.apparmor_restrict_unprivileged_userns and its complain and
/// force modes) and the mainline unconfined restriction. Least privilege first: a per-program profile with
/// <c>userns,</c>; turning the restriction off globally only as a last resort.
/// </summary>
internal sealed class AppArmorRestrictionRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        // With AppArmor off the sysctls exist but nothing enforces them.
        if (context.SecurityModules.AppArmorEnabled == false)
        {
            yield break;
        }

        var restrict = context.Setting(SettingNames.AppArmorRestrictUnprivilegedUserns);
        var complain = context.Setting(SettingNames.AppArmorRestrictUnprivilegedUsernsComplain);
        var force = context.Setting(SettingNames.AppArmorRestrictUnprivilegedUsernsForce);
        var unconfined = context.Setting(SettingNames.AppArmorRestrictUnprivilegedUnconfined);
        var bwrapPath = context.BwrapPath;
        var bwrapProfile = (context.SecurityModules.AppArmorProfiles ?? Array.Empty<AppArmorProfileFact>())
            .FirstOrDefault(p => p is not null && p.GrantsUserns && AppArmorProfileMatch.AttachesTo(p, bwrapPath));
        // bwrap, and every other program the restriction hit according to the kernel log.
        var profileFix = FindingFix.Profiles(new[] { bwrapPath }.Concat(context.RestrictedPrograms));

        if (restrict is not null && context.Number(restrict.Name) == 1)
        {
            if (complain is not null && context.Number(complain.Name) == 1)
            {
                yield return new UsernsFinding
                {
                    Id = FindingIds.AppArmorUsernsComplainMode,
                    Severity = Severity.Info,
                    Setting = complain.Name,
                    CurrentValue = complain.RuntimeValue?.Trim(),
                    Evidence = new[] { Evidence.Of(restrict), Evidence.Of(complain) },
                    Explanation = "The AppArmor user namespace restriction is on but in complain mode: it logs what it would deny "
                        + "(operation=\"userns_create\" in the kernel log) and allows it, so user namespaces keep their capabilities.",
                    Remediation = $"Nothing blocks user namespaces. Read the logged lines (`{context.Words.Denials}`) to learn which programs would need a profile with `userns,` before the restriction is enforced.",
                    Fix = null,
                };
            }
            else
            {
                yield return Restriction(context, restrict, bwrapPath, bwrapProfile, profileFix);
            }
        }

        if (force is not null && context.Number(force.Name) == 1)
        {
            var evidence = new List<string> { Evidence.Of(force) };
            if (context.UserNamespaceFailedWith(Errno.EACCES) is { } denied)
            {
                evidence.Add(Evidence.Of(denied));
            }

            yield return new UsernsFinding
            {
                Id = FindingIds.AppArmorUsernsForceMode,
                Severity = Severity.Warning,
                Setting = force.Name,
                CurrentValue = force.RuntimeValue?.Trim(),
                RecommendedValue = "0",
                Evidence = evidence,
                Explanation = "The AppArmor user namespace restriction is forced: it applies even where an unconfined user namespace would otherwise be allowed, "
                    + "and when the unprivileged_userns profile is missing creation is refused outright with EACCES "
                    + "(`User namespace creation restricted - failed to find unprivileged profile` in the kernel log).",
                Remediation = $"Give the program that needs user namespaces its own profile with `userns,` (`{context.Command(profileFix)}`); profiled programs are exempt even in force mode. "
                    + $"Only if that is not possible: `{context.Command(SysctlAdvice.Fix(force.Name, "0"))}`.",
                Fix = profileFix,
            };
        }

        if (unconfined is not null && context.Number(unconfined.Name) == 1)
        {
            yield return new UsernsFinding
            {
                Id = FindingIds.AppArmorRestrictsUnconfined,
                Severity = Severity.Info,
                Setting = unconfined.Name,
                CurrentValue = unconfined.RuntimeValue?.Trim(),
                Evidence = new[] { Evidence.Of(unconfined) },
                Explanation = "AppArmor restricts unconfined processes from changing to another profile (aa-exec, change_profile). "
                    + "It does not stop user namespace creation by itself, but a script that starts a sandbox through aa-exec from an unconfined shell may be refused.",
                Remediation = "Nothing to change for user namespaces; start the sandbox through a program whose profile has `userns,` instead of switching profiles at run time.",
                Fix = null,
            };
        }
    }

    /// <summary>The programs the kernel log shows restricted, for the remediation: by path, or by name when the log has no path.</summary>
    internal static string RestrictedText(DiagnosisContext context, bool coveredByTheCommand = true)
    {
        var paths = context.RestrictedPrograms;
        var names = context.RestrictedProgramNames;
        var text = paths.Count == 0
            ? ""
            : $" The kernel log shows the restriction hitting {string.Join(", ", paths)} too (a browser then reports `No usable sandbox!`)"
                + (coveredByTheCommand ? ": the command above gives " + (paths.Count == 1 ? "it" : "each") + " its own profile as well." : ".");
        if (names.Count > 0)
        {
            text += $" It also hit {string.Join(", ", names)}, whose log line names no executable: find the path (`command -v {names[0]}`) and pass it to {context.Words.Program}.";
        }

        var unprofilable = context.RestrictedUnprofilablePrograms;
        if (unprofilable.Count > 0)
        {
            text += $" It also hit {string.Join(", ", unprofilable)}, a path {context.Words.Program} does not take (only letters, digits and . _ + - / need no quoting in a profile): "
                + $"write its profile by hand in /etc/apparmor.d with the path in double quotes (`profile <name> \"{unprofilable[0]}\" flags=(unconfined) {{ userns, }}`) "
                + "and load it with `apparmor_parser -r`.";
        }

        return text;
    }

    private static UsernsFinding Restriction(DiagnosisContext context, UsernsSetting restrict, string bwrapPath, AppArmorProfileFact? bwrapProfile, FindingFix profileFix)
    {
        var evidence = new List<string> { Evidence.Of(restrict) };
        var mapFailure = context.Probes.FirstOrDefault(p => p is not null && !p.Succeeded && p.Stage is ProbeStage.Map or ProbeStage.Use)
            ?? context.UserNamespaceFailedWith(Errno.EACCES);
        if (mapFailure is not null)
        {
            evidence.Add(Evidence.Of(mapFailure));
        }

        if (bwrapProfile is not null)
        {
            evidence.Add($"{bwrapProfile.File}: profile {bwrapProfile.Name} attaches to {bwrapProfile.Attachment} and has `userns,`");
        }

        const string what = "Ubuntu's kernel moves an unconfined process that creates a user namespace into the `unprivileged_userns` AppArmor profile, "
            + "which denies every capability inside it: creation succeeds, but writing uid_map, mounting and setting up loopback then fail "
            + "(`unshare: write failed /proc/self/uid_map: Operation not permitted`, `bwrap: setting up uid map: Permission denied`, "
            + "`loopback: Failed RTM_NEWADDR: Operation not permitted`). Programs whose AppArmor profile has the `userns,` rule are exempt.";
        var words = context.Words;
        var sysctlFix = context.Command(SysctlAdvice.Fix(restrict.Name, "0"));
        var profileText = $"`{context.Command(profileFix)}` {BwrapAdvice.WhatTheProfileFixWrites(bwrapPath)}; for another program pass its path to {words.Program}. "
            + "Such a profile is bound to the path: it does not help AppImages, whose path changes on every mount, and a second profile for a path that already has one conflicts with it.";
        var restricted = RestrictedText(context);
        var shipped = context.Distribution.Family == OsFamily.Ubuntu && context.Distribution.MajorVersion >= 25
            ? " Ubuntu 25.04 and later ship a bwrap-userns-restrict profile in the apparmor package: check that it is installed and loaded (`aa-status`) before adding one."
            : "";

        if (bwrapProfile is not null)
        {
            // bwrap is exempt; a program the log shows restricted still needs its own profile.
            var others = context.RestrictedPrograms;

            // A program the log names only by comm, or by a path no generated profile can name, is still broken.
            var restrictedAny = others.Count > 0 || context.RestrictedProgramNames.Count > 0 || context.RestrictedUnprofilablePrograms.Count > 0;
            return new UsernsFinding
            {
                Id = FindingIds.AppArmorRestrictsUserns,
                Severity = restrictedAny && !context.SubjectIsRoot ? Severity.Warning : Severity.Info,
                Setting = restrict.Name,
                CurrentValue = restrict.RuntimeValue?.Trim(),
                // Keeping the restriction is right; no value of the setting is to be changed, so none is recommended.
                RecommendedValue = null,
                Evidence = evidence,
                Explanation = what + $" {bwrapPath} is exempt through the profile {bwrapProfile.Name} ({bwrapProfile.File}), so bwrap-based sandboxes (Flatpak, GNOME's thumbnailers, bwrap itself) work; "
                    + "other unconfined programs, including `unshare` used by the probes, stay restricted, which is the point of the restriction.",
                Remediation = "Nothing to do for bwrap."
                    + (restrictedAny ? RestrictedText(context, coveredByTheCommand: false) : "")
                    + (others.Count > 0 ? $" `{context.Command(FindingFix.Profiles(others))}` gives {(others.Count == 1 ? "it" : "each")} its own profile." : "")
                    + " To exempt another program, give it its own profile the same way: "
                    + $"`{words.EnableProfiles(Array.Empty<string>())} {words.Program} <path of the program>`.",
                Fix = others.Count > 0 ? FindingFix.Profiles(others) : null,
            };
        }

        // The restriction lets creation succeed and denies what follows: a probe that could not create a namespace at all
        // failed for another reason, so this one is not what blocks now.
        // EACCES is what the restriction gives in force mode (or a confined profile without `userns,`): that one it can cause.
        var creationFailure = context.CreationWorks == false && context.UserNamespaceFailedWith() is { Errno: not Errno.EACCES } failed ? failed : null;
        var container = context.Environment.Container != ContainerKind.None;
        if (creationFailure is not null || container)
        {
            if (creationFailure is not null && !evidence.Contains(Evidence.Of(creationFailure)))
            {
                evidence.Add(Evidence.Of(creationFailure));
            }

            var notCause = creationFailure is null
                ? ""
                : $" Here creation itself failed ({creationFailure.Errno}), which this restriction never does: it is not the cause of that failure, and it restricts user namespaces only once creation works.";
            var where = container
                ? $" This process runs in a container ({context.Environment.Container}): the value is the host kernel's, read through /proc/sys, and neither the setting nor an AppArmor profile can be changed from inside the container."
                : "";
            return new UsernsFinding
            {
                Id = FindingIds.AppArmorRestrictsUserns,
                Severity = creationFailure is not null || context.SubjectIsRoot ? Severity.Info : Severity.Warning,
                Setting = restrict.Name,
                CurrentValue = restrict.RuntimeValue?.Trim(),

                // Keeping the restriction is right and lifting it is no fix: nothing for Set-UsernsSetting to apply.
                RecommendedValue = null,
                Evidence = evidence,
                Explanation = what + notCause + where,
                Remediation = container
                    ? "Fix the failure the probes show first. Once creation works inside the container, programs there that create user namespaces may still be restricted by the host's AppArmor: "
                        + $"on the host, give the program a profile with `userns,` (`{context.Command(profileFix)}` run on the host for a path the host sees), rather than turning the restriction off for every program."
                    : "Fix the failure the probes show first. Once creation works, give the program that needs user namespaces its own AppArmor profile with the `userns,` rule: " + profileText,
                Fix = container ? null : profileFix,
            };
        }

        return new UsernsFinding
        {
            Id = FindingIds.AppArmorRestrictsUserns,
            // Root holds CAP_SYS_ADMIN and is not restricted.
            Severity = context.SubjectIsRoot ? Severity.Warning : Severity.Blocking,
            Setting = restrict.Name,
            CurrentValue = restrict.RuntimeValue?.Trim(),
            // Keeping the restriction and exempting single programs is the least-privilege fix: that is the finding's fix, a
            // profile, not a value of this setting. Recommending the value in force reads as a contradiction, and
            // recommending 0 would invite `Where-Object RecommendedValue | Set-UsernsSetting` to lift it for everybody.
            RecommendedValue = null,
            Evidence = evidence,
            Explanation = what + " No profile with `userns,` attaches to " + bwrapPath + ".",
            Remediation = "Least privilege first: give the program that needs user namespaces its own AppArmor profile with the `userns,` rule. "
                + profileText + restricted + shipped
                + $" Only as a last resort turn the restriction off for every program: `{sysctlFix}` (by hand `sysctl -w {restrict.Name}=0` and a file under /etc/sysctl.d). "
                + "Never make bwrap setuid, run the sandboxed program as root, or disable AppArmor as a whole.",
            Fix = profileFix,
        };
    }
}
