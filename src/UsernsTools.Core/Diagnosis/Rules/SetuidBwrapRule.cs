using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>
/// bwrap installed setuid root (or with setuid-style file capabilities): a privilege-escalation surface that current
/// bubblewrap refuses. Read from the tool facts and, when bwrap was probed, from the installation the probe found.
/// </summary>
internal sealed class SetuidBwrapRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var bwrap = context.Tool("bwrap");
        var toolSetuid = bwrap is { Found: true, IsSetuid: true };
        var installation = context.BwrapProbes.Select(p => p.Installation).FirstOrDefault(i => i is { IsPrivileged: true });
        if (!toolSetuid && installation is null)
        {
            yield break;
        }

        var path = (toolSetuid ? bwrap!.Path : installation!.Path) ?? "/usr/bin/bwrap";
        var distro = context.Distribution;
        var reinstall = distro.Family == OsFamily.Arch ? "`pacman -S bubblewrap` (replacing bubblewrap-suid)" : $"`{distro.Reinstall("bubblewrap")}`";
        var statOverride = toolSetuid ? bwrap!.StatOverride : null;

        var evidence = new List<string>();
        if (toolSetuid)
        {
            evidence.Add(Evidence.Of(bwrap!));
        }

        // The installation's own remarks (setuid, file capabilities, refuses setuid) and the probe that was not run.
        if (installation is not null)
        {
            evidence.AddRange(installation.Facts.Where(f => f.Severity != Severity.Info).Select(f => f.Message));
            evidence.AddRange(context.BwrapProbes.Where(p => p.ErrorKind == BwrapErrorKind.SetuidNotUsed).Take(1).Select(Evidence.Of));
        }

        if (statOverride is not null)
        {
            evidence.Add($"{Facts.ToolReader.StatOverridePath}: {statOverride}");
        }

        var capabilitiesOnly = !toolSetuid && installation is { IsSetuid: false, FileCapabilities: not null };
        var then = " and enable unprivileged user namespaces instead, following the other findings.";
        string remediation;
        if (capabilitiesOnly)
        {
            remediation = $"Remove the capabilities (`setcap -r {path}`, or restore the packaged file by {reinstall})" + then;
        }
        else if (statOverride is not null)
        {
            // The override, not the package, makes it setuid: dpkg reapplies it on every upgrade and reinstall.
            remediation = $"The setuid bit comes from a dpkg-statoverride entry, which dpkg applies again on every install and upgrade, so a reinstall keeps it: "
                + $"run `dpkg-statoverride --remove {path}` and then `chmod u-s {path}`" + then;
        }
        else if (distro.PackageShipsSetuidBwrap)
        {
            remediation = $"The bubblewrap package of {distro.Name} installs bwrap setuid itself (these kernels shipped unprivileged user namespaces off), so reinstalling it puts the bit back. "
                + "First enable unprivileged user namespaces, following the other findings; then `chmod u-s " + path + "`, and again after each bubblewrap update, "
                + "or install a bubblewrap build that is not setuid.";
        }
        else
        {
            remediation = $"Remove the setuid bit (`chmod u-s {path}`, or restore the packaged file by {reinstall})" + then;
        }

        yield return new UsernsFinding
        {
            Id = FindingIds.SetuidBwrap,
            Severity = Severity.Warning,
            Evidence = evidence.Distinct(StringComparer.Ordinal).ToList(),
            Explanation = (capabilitiesOnly
                    ? $"{path} has file capabilities ({installation!.FileCapabilities}), which give it root's powers like a setuid bit; current bubblewrap refuses them (`Unexpected capabilities but not setuid`). "
                    : $"{path} is setuid root. Setuid bubblewrap runs with root's privileges for every user and has had privilege-escalation bugs; "
                        + "bubblewrap 0.11.2 and later refuse it by default (`setuid use of bubblewrap is not supported in this build`) and 0.12 removed it. ")
                + "UsernsTools never runs it. Never use a privileged bwrap as a way around disabled user namespaces.",
            Remediation = remediation,
            Fix = null,
        };
    }
}
