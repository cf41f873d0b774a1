namespace UsernsTools.Diagnosis.Rules;

/// <summary>bwrap installed setuid root: a privilege-escalation surface that current bubblewrap refuses.</summary>
internal sealed class SetuidBwrapRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var bwrap = context.Tool("bwrap");
        if (bwrap is not { Found: true, IsSetuid: true })
        {
            yield break;
        }

        var path = bwrap.Path ?? "/usr/bin/bwrap";
        var reinstall = context.Distribution.Family switch
        {
            OsFamily.Debian or OsFamily.Ubuntu => "`apt-get install --reinstall bubblewrap`",
            OsFamily.Rhel or OsFamily.Fedora => "`dnf reinstall bubblewrap`",
            OsFamily.Arch => "`pacman -S bubblewrap` (replacing bubblewrap-suid)",
            _ => "reinstalling the distribution's bubblewrap package",
        };

        yield return new UsernsFinding
        {
            Id = FindingIds.SetuidBwrap,
            Severity = Severity.Warning,
            Evidence = new[] { Evidence.Of(bwrap) },
            Explanation = $"{path} is setuid root. Setuid bubblewrap runs with root's privileges for every user and has had privilege-escalation bugs; "
                + "bubblewrap 0.11.2 and later refuse it by default (`setuid use of bubblewrap is not supported in this build`) and 0.12 removed it. "
                + "Never use setuid bwrap as a way around disabled user namespaces.",
            Remediation = $"Remove the setuid bit (`chmod u-s {path}`, or restore the packaged file by {reinstall}) and enable unprivileged user namespaces instead, following the other findings.",
            FixCommand = null,
        };
    }
}
