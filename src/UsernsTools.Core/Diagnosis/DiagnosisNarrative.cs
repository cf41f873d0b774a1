using System.Globalization;
using UsernsTools.Facts;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;
using UsernsTools.Sandbox;

namespace UsernsTools.Diagnosis;

/// <summary>
/// Sentences that say what a diagnosis decided, for -Verbose: whose ability was tested and why that user, which
/// probes ran with which command line and how each ended, and which sysctl file wins at boot.
/// </summary>
internal static class DiagnosisNarrative
{
    /// <summary>Everything a status decided, in the order it was decided.</summary>
    public static IEnumerable<string> Describe(UsernsStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.FromReport)
        {
            yield return $"The report was recorded on '{status.Hostname}'; it diagnoses {Subject(status.Subject ?? new UsernsSubject())[("Diagnosing ".Length)..]}";
        }
        else
        {
            yield return Subject(status.Subject ?? new UsernsSubject());
        }

        // A report recorded by an older version may lack any of these lists: it deserializes with null.
        var probes = status.Probes ?? Array.Empty<UsernsProbeResult>();
        var bwrapProbes = status.BwrapProbes ?? Array.Empty<BwrapProbeResult>();
        var findings = status.Findings ?? Array.Empty<UsernsFinding>();
        if (probes.Count == 0 && bwrapProbes.Count == 0)
        {
            yield return status.FromReport ? "The report holds no probe results: facts only." : "No probe ran (-NoProbe): facts only.";
        }

        foreach (var line in Probes(probes))
        {
            yield return line;
        }

        foreach (var line in Probes(bwrapProbes))
        {
            yield return line;
        }

        foreach (var line in Settings(status.Facts?.Settings ?? Array.Empty<UsernsSetting>()))
        {
            yield return line;
        }

        yield return $"Verdict {status.Verdict}: {findings.Count} finding(s){(findings.Count > 0 ? " (" + string.Join(", ", findings.Select(f => f.Id)) + ")" : "")}.";
    }

    /// <summary>Who is diagnosed, and the rule that chose them.</summary>
    public static string Subject(UsernsSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var who = $"{subject.User} (uid {subject.Uid.ToString(CultureInfo.InvariantCulture)})";
        return subject.Source switch
        {
            UserResolver.SourceExplicit => $"Diagnosing {who}, the user asked for.",
            UserResolver.SourceSudoUser => $"Diagnosing {who}, the user who ran sudo (SUDO_UID): root itself can always create namespaces.",
            UserResolver.SourceDefaultNobody => $"Diagnosing {who}: running as root without a sudo caller, so an unprivileged account stands in (root itself can always create namespaces).",
            UserResolver.SourceCaller => $"Diagnosing {who}, the current user.",
            _ => $"Diagnosing {who}.",
        };
    }

    /// <summary>
    /// The unshare probes: each command line once (several probes often share one run), then how each probe ended.
    /// </summary>
    public static IEnumerable<string> Probes(IEnumerable<UsernsProbeResult> probes)
    {
        ArgumentNullException.ThrowIfNull(probes);
        foreach (var run in probes.GroupBy(p => (p.User, Command: Command(p.Command))))
        {
            yield return $"Ran as {run.Key.User}: {run.Key.Command}";
            foreach (var probe in run)
            {
                var outcome = probe.Succeeded
                    ? "succeeded"
                    : $"failed at stage {probe.Stage}{(probe.Errno != default ? $" ({probe.Errno})" : "")}{(string.IsNullOrEmpty(probe.Message) ? "" : ": " + probe.Message)}";
                yield return $"Probe {probe.Name} {outcome} ({Milliseconds(probe.DurationMs)}).";
            }
        }
    }

    /// <summary>The bubblewrap probes, as <see cref="Probes(IEnumerable{UsernsProbeResult})"/> tells the unshare ones.</summary>
    public static IEnumerable<string> Probes(IEnumerable<BwrapProbeResult> probes)
    {
        ArgumentNullException.ThrowIfNull(probes);
        foreach (var run in probes.GroupBy(p => (p.User, Command: Command(p.Command))))
        {
            yield return $"Ran as {run.Key.User}: {run.Key.Command}";
            foreach (var probe in run)
            {
                var outcome = probe.Succeeded
                    ? (probe.UidMapped ? "succeeded and mapped the user" : "succeeded without mapping the user")
                    : $"failed ({probe.ErrorKind}){(string.IsNullOrEmpty(probe.Message) ? "" : ": " + probe.Message)}";
                yield return $"Bwrap probe {probe.Mode} {outcome} ({Milliseconds(probe.DurationMs)}).";
            }
        }
    }

    /// <summary>For each setting a sysctl file sets, the file and line that win at boot and those they override.</summary>
    public static IEnumerable<string> Settings(IEnumerable<UsernsSetting> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var any = false;
        foreach (var setting in settings.Where(s => s?.PersistedSource is not null))
        {
            any = true;
            var overridden = setting.Shadowed ?? Array.Empty<SysctlAssignment>();
            var shadowed = overridden.Count == 0
                ? ""
                : "; it overrides " + string.Join(", ", overridden.Select(s => $"{s.Source} ({s.Value})"));
            yield return $"At boot {setting.Name} = {setting.PersistedValue}: {setting.PersistedSource} wins{shadowed}.";
        }

        if (!any)
        {
            yield return "No sysctl file sets a user namespace setting: boot keeps the kernel's defaults.";
        }
    }

    private static string Command(IReadOnlyList<string>? argv) => argv is null || argv.Count == 0 ? "(no command)" : ArgvText.Join(argv);

    private static string Milliseconds(double value) => value.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
