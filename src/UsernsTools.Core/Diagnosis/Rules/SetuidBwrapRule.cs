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
        var reinstall = context.Distribution.Family switch
        {
            OsFamily.Debian or OsFamily.Ubuntu => "`apt-get install --reinstall bubblewrap`",
            OsFamily.Rhel or OsFamily.Fedora => "`dnf reinstall bubblewrap`",
            OsFamily.Arch => "`pacman -S bubblewrap` (replacing bubblewrap-suid)",
            _ => "reinstalling the distribution's bubblewrap package",
        };

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

        var capabilitiesOnly = !toolSetuid && installation is { IsSetuid: false, FileCapabilities: not null };
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
            Remediation = (capabilitiesOnly ? $"Remove the capabilities (`setcap -r {path}`" : $"Remove the setuid bit (`chmod u-s {path}`")
                + $", or restore the packaged file by {reinstall}) and enable unprivileged user namespaces instead, following the other findings.",
            Fix = null,
        };
    }
}
