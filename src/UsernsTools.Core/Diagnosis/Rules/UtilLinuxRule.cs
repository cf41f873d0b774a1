using UsernsTools.Facts;
using UsernsTools.Probes;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>util-linux unshare and setpriv: missing (a finding, never a crash) or too old for the options in use.</summary>
internal sealed class UtilLinuxRule : IDiagnosisRule
{
    private static readonly Version MapRootUser = new(2, 25);
    private static readonly Version MapUser = new(2, 36);

    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        // A tool absent from the list was not looked for (an old or hand-written report); only Found=false means missing.
        var unshare = context.Tool("unshare");
        var setpriv = context.Tool("setpriv");
        var distro = context.Distribution;

        if (unshare is { Found: false })
        {
            yield return new UsernsFinding
            {
                Id = FindingIds.UnshareMissing,
                Severity = Severity.Warning,
                Evidence = new[] { Evidence.Of(unshare) },
                Explanation = $"util-linux unshare is not on PATH: the probes could not test namespace creation, and `{context.Words.Run}` cannot use its unshare backend.",
                Remediation = "Install util-linux: `" + distro.Install("util-linux", "util-linux", "util-linux") + "`.",
                Fix = null,
            };
        }

        if (setpriv is { Found: false })
        {
            var needed = SubjectLauncher.NeedsSetprivAsRecorded(context.Subject, context.Facts.CallerUid);
            var package = distro.IsDebianLike ? "util-linux (the separate package setpriv on Debian 11, Ubuntu 22.04 and older)" : "util-linux";
            yield return new UsernsFinding
            {
                Id = FindingIds.SetprivMissing,
                Severity = needed ? Severity.Warning : Severity.Info,
                Evidence = new[] { Evidence.Of(setpriv) },
                Explanation = needed
                    ? $"setpriv is not on PATH, so root could not run the probes as {context.Subject.User}; the result says nothing about that user."
                    : $"setpriv is not on PATH; it is only needed when root diagnoses a uid that has no user entry (`{context.Words.Status} {context.Words.User} <uid>`).",
                Remediation = $"Install {package}: `" + distro.Install(distro.IsDebianLike ? "util-linux setpriv" : "util-linux", "util-linux", "util-linux") + "`.",
                Fix = null,
            };
        }

        if (unshare is { Found: true } && ToolVersion.AsVersion(unshare.Version) is { } version && version < MapUser)
        {
            var tooOldForMapping = version < MapRootUser;
            var evidence = new List<string> { Evidence.Of(unshare) };
            evidence.AddRange(context.Probes.Where(p => p is not null && !p.Succeeded && p.Stage == ProbeStage.Launch).Select(Evidence.Of));
            yield return new UsernsFinding
            {
                Id = FindingIds.UnshareTooOld,
                Severity = tooOldForMapping ? Severity.Warning : Severity.Info,
                CurrentValue = unshare.Version,
                RecommendedValue = "2.36",
                Evidence = evidence,
                Explanation = tooOldForMapping
                    ? $"unshare {unshare.Version} predates --map-root-user (-r, util-linux 2.25) and --setgroups (2.26): it cannot map the caller into a new user namespace, "
                        + "so the mapping probe could not run, and mapping needs bwrap instead."
                    : $"unshare {unshare.Version} lacks --map-user/--map-group (util-linux 2.36) and --map-users/--map-auto (2.38); "
                        + "--map-root-user works, mapping to another id needs bwrap or a newer util-linux.",
                Remediation = UsableBwrap(context)
                    ? $"Use bwrap for those options; a util-linux that has them comes with a newer release than {distro.Name}."
                    : $"A util-linux that has them comes with a newer release than {distro.Name}"
                        + (context.Tool("bwrap") is { Found: true } ? "; the bwrap here is privileged (setuid or file capabilities), which is no way around it." : "."),
                Fix = null,
            };
        }
    }

    /// <summary>A bwrap that works without privileges: never advise one that is setuid or has file capabilities.</summary>
    private static bool UsableBwrap(DiagnosisContext context) =>
        context.Tool("bwrap") is { Found: true, IsSetuid: false, FileCapabilities: null }
        && !context.BwrapProbes.Any(p => p.Installation is { IsPrivileged: true });
}
