using UsernsTools.Facts;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>newuidmap/newgidmap: rootless Podman needs them, installed setuid root or with file capabilities.</summary>
internal sealed class IdMapHelperRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var helpers = new[] { (Tool: context.Tool("newuidmap"), Cap: "cap_setuid"), (Tool: context.Tool("newgidmap"), Cap: "cap_setgid") };
        var distro = context.Distribution;
        var package = distro.Family switch
        {
            OsFamily.Debian or OsFamily.Ubuntu => "uidmap",
            OsFamily.Rhel or OsFamily.Fedora => "shadow-utils",
            OsFamily.Arch => "shadow",
            _ => "the shadow package that provides newuidmap (uidmap on Debian, shadow-utils on Fedora)",
        };

        // Select then OfType, not Where(...).Select(...): see DiagnosisContext.RestrictedDenials.
        var missing = helpers.Select(h => h.Tool is { Found: false } tool ? tool : null).OfType<ToolFact>().ToList();
        if (missing.Count > 0)
        {
            yield return new UsernsFinding
            {
                Id = FindingIds.NewuidmapMissing,
                Severity = Severity.Info,
                Evidence = missing.Select(Evidence.Of).ToList(),
                Explanation = $"{string.Join(" and ", missing.Select(t => t.Name))} {(missing.Count == 1 ? "is" : "are")} not installed. "
                    + "Plain user namespaces and bwrap do not need them; rootless Podman and `unshare --map-users/--map-auto` do, to map the ranges of /etc/subuid and /etc/subgid.",
                Remediation = "Install them if rootless containers should run here: `" + distro.Install(package, "shadow-utils", "shadow") + "`.",
                Fix = null,
            };
        }

        var powerless = helpers.Select(h => h.Tool is { Found: true } tool && !IsPrivileged(tool, h.Cap) ? tool : null).OfType<ToolFact>().ToList();
        if (powerless.Count > 0)
        {
            var restore = distro.Family switch
            {
                OsFamily.Debian or OsFamily.Ubuntu => "`apt-get install --reinstall uidmap` (Debian installs them setuid root)",
                OsFamily.Rhel or OsFamily.Fedora => "`dnf reinstall shadow-utils` (Fedora and RHEL install them with file capabilities)",
                OsFamily.Arch => "`pacman -S shadow` (Arch installs them with file capabilities)",
                _ => "reinstalling the package that provides them",
            };
            yield return new UsernsFinding
            {
                Id = FindingIds.NewuidmapNotPrivileged,
                Severity = Severity.Warning,
                Evidence = powerless.Select(Evidence.Of).ToList(),
                Explanation = $"{string.Join(" and ", powerless.Select(t => t.Name))} {(powerless.Count == 1 ? "has" : "have")} neither the setuid bit (owned by root) nor file capabilities, "
                    + "so they cannot write another process's id map: rootless Podman fails with `should have setuid or have filecaps setuid`.",
                Remediation = "Restore the packaged permissions by " + restore + ", or grant only the capability each needs: "
                    + "`setcap cap_setuid=ep /usr/bin/newuidmap` and `setcap cap_setgid=ep /usr/bin/newgidmap`.",
                Fix = null,
            };
        }
    }

    private static bool IsPrivileged(ToolFact tool, string capability) =>
        (tool.IsSetuid && tool.OwnerUid is null or 0)
        || (tool.FileCapabilities is { } caps && caps.Contains(capability, StringComparison.OrdinalIgnoreCase));
}
