using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>bubblewrap is absent: not a fault, but it is the sandbox Flatpak and many tools expect.</summary>
internal sealed class BwrapNotInstalledRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var tool = context.Tool("bwrap");
        var probe = context.BwrapProbes.FirstOrDefault(p => p.ErrorKind == BwrapErrorKind.NotInstalled);

        // A tool absent from the list was not looked for (an old report); only Found=false or a probe says it is missing.
        if (tool is not { Found: false } && probe is null)
        {
            yield break;
        }

        var evidence = new List<string>();
        if (tool is { Found: false })
        {
            evidence.Add(Evidence.Of(tool));
        }

        if (probe is not null)
        {
            evidence.Add(Evidence.Of(probe));
        }

        yield return new UsernsFinding
        {
            Id = FindingIds.BwrapNotInstalled,
            Severity = Severity.Info,
            Evidence = evidence,
            Explanation = "bubblewrap (bwrap) is not installed, so it was not probed. User namespaces themselves do not need it; "
                + "Flatpak, GNOME's thumbnailers and many build and sandbox tools do.",
            Remediation = "Install it if sandboxes should run here: `" + context.Distribution.Install("bubblewrap", "bubblewrap", "bubblewrap") + "`. "
                + "Install the distribution's package (never a setuid build).",
            Fix = null,
        };
    }
}
