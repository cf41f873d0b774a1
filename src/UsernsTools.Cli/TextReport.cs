using System.Globalization;
using UsernsTools.Diagnosis;
using UsernsTools.Display;
using UsernsTools.Facts;
using UsernsTools.Facts.Denials;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Cli;

/// <summary>The human-readable renderings: verdict first, then each finding with its fix, then the evidence.</summary>
internal static class TextReport
{
    public static void WriteStatus(TextWriter w, UsernsStatus status)
    {
        var subject = status.Subject;
        var origin = status.FromReport ? " (from report)" : "";
        var basis = status.Probed ? "" : " (settings only, not probed)";
        w.WriteLine($"Verdict: {status.Verdict}{basis} for {subject.User} (uid {subject.Uid.ToString(CultureInfo.InvariantCulture)}) on {Describe(status.Facts)}{origin}");
        w.WriteLine(status.Probed ? VerdictSentence(status.Verdict) : SettingsOnlySentence(status.Verdict));
        w.WriteLine();
        if (status.Findings.Count == 0)
        {
            w.WriteLine(status.Probed ? "No findings." : "No findings in the settings read.");
        }

        foreach (var finding in status.Findings)
        {
            WriteFinding(w, finding);
        }

        if (status.Probes.Count > 0)
        {
            w.WriteLine("Probes:" + CombinedRunNote(status.Probes.Select(p => p.Command).ToList()));
            foreach (var probe in status.Probes)
            {
                WriteProbe(w, probe);
            }
        }

        if (status.BwrapProbes.Count > 0)
        {
            w.WriteLine("Bubblewrap probes:" + CombinedRunNote(status.BwrapProbes.Select(p => p.Command).ToList()));
            foreach (var probe in status.BwrapProbes)
            {
                WriteBwrapProbe(w, probe);
            }
        }

        if (status.Denials.Count > 0)
        {
            w.WriteLine($"Recent denials ({status.Denials.Count.ToString(CultureInfo.InvariantCulture)}; 'usernstools denials' lists them all):");
            foreach (var denial in status.Denials)
            {
                w.Write("  ");
                WriteDenial(w, denial);
            }
        }

        foreach (var note in status.Notes)
        {
            w.WriteLine("Note: " + note);
        }
    }

    /// <summary>Says so when one command proved every probe, so equal durations do not look like a mistake.</summary>
    private static string CombinedRunNote(List<IReadOnlyList<string>> commands) =>
        commands.Count > 1 && commands[0].Count > 0 && commands.All(c => c.SequenceEqual(commands[0]))
            ? " (all proven by one combined run: " + string.Join(' ', commands[0]) + ")"
            : "";

    public static void WriteBwrapProbes(TextWriter w, IReadOnlyList<BwrapProbeResult> results)
    {
        var installation = results.Select(r => r.Installation).FirstOrDefault(i => i is not null);
        if (installation is not null)
        {
            w.WriteLine($"bwrap: {installation.Path}{(installation.Version is null ? "" : " (bubblewrap " + installation.Version + ")")}");
            foreach (var fact in installation.Facts)
            {
                w.WriteLine($"  [{fact.Severity}] {fact.Message}");
            }
        }

        if (CombinedRunNote(results.Select(r => r.Command).ToList()) is { Length: > 0 } note)
        {
            w.WriteLine(note.Trim());
        }

        foreach (var result in results)
        {
            WriteBwrapProbe(w, result);
            if (!result.Succeeded && !string.IsNullOrEmpty(result.LikelyCause))
            {
                Indented(w, "Likely cause: " + result.LikelyCause);
            }
        }
    }

    public static void WriteBwrapProbe(TextWriter w, BwrapProbeResult p)
    {
        var outcome = p.Succeeded ? (p.UidMapped ? "ok, mapped" : "ok, no user namespace") : $"failed at {p.Stage} ({p.ErrorKind})";
        var ms = p.DurationMs.ToString("0.0", CultureInfo.InvariantCulture);
        w.WriteLine($"  {p.Mode,-20} {outcome,-40} {ms,7} ms  {p.Message}".TrimEnd());
    }

    /// <summary>One line per denial: when, what, who, and what it means.</summary>
    public static void WriteDenial(TextWriter w, UsernsDenial d)
    {
        var time = d.Time?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "(no time)";
        // Every field comes from a log line, and comm and name are whatever a local user made them: one line each.
        var who = (TerminalText.Escape(d.ProcessName) ?? "?") + (d.Pid is int pid ? "[" + pid.ToString(CultureInfo.InvariantCulture) + "]" : "");
        var what = string.Join(' ', new[] { d.Decision, d.Operation, d.Capability, d.Name }.Where(s => !string.IsNullOrEmpty(s)).Select(TerminalText.Escape));
        w.WriteLine($"{time} {d.Kind} {who} {what}: {TerminalText.Escape(d.Meaning)}");
    }

    public static void WriteFinding(TextWriter w, UsernsFinding f)
    {
        var setting = f.Setting is null ? "" : $"  {f.Setting} = {f.CurrentValue ?? "(absent)"}";
        if (f.RecommendedValue is not null)
        {
            setting += $" (recommended {f.RecommendedValue})";
        }

        w.WriteLine($"[{f.Severity}] {f.Id}{setting}");
        Indented(w, f.Explanation);
        foreach (var evidence in f.Evidence)
        {
            Indented(w, "Evidence: " + evidence);
        }

        if (!string.IsNullOrEmpty(f.Remediation))
        {
            Indented(w, "Remediation: " + f.Remediation);
        }

        if (!string.IsNullOrEmpty(f.FixCommand))
        {
            Indented(w, "Fix: " + f.FixCommand);
        }

        w.WriteLine();
    }

    public static void WriteProbe(TextWriter w, UsernsProbeResult p)
    {
        var outcome = p.Succeeded ? "ok" : $"failed at {p.Stage} ({p.Errno})";
        var ms = p.DurationMs.ToString("0.0", CultureInfo.InvariantCulture);
        w.WriteLine($"  {p.Name,-20} {outcome,-26} {ms,7} ms  {p.Message}".TrimEnd());
    }

    public static void WriteSettings(TextWriter w, IReadOnlyList<UsernsSetting> settings)
    {
        w.WriteLine($"{"Name",-52} {"Runtime",-10} {"Persisted",-10} Source");
        foreach (var s in settings)
        {
            var runtime = s.Present ? s.RuntimeValue ?? "?" : "absent";
            w.WriteLine($"{s.Name,-52} {runtime,-10} {s.PersistedValue ?? "-",-10} {s.PersistedSource ?? "-"}");
            foreach (var lost in s.Shadowed)
            {
                w.WriteLine($"{"",-52} {"",-10} {lost.Value,-10} {lost.Source} (shadowed)");
            }
        }
    }

    public static void WriteSubordinateIds(TextWriter w, IReadOnlyList<SubordinateIdRange> ranges)
    {
        if (ranges.Count == 0)
        {
            w.WriteLine("No subordinate id ranges.");
            return;
        }

        w.WriteLine($"{"Kind",-4} {"User",-16} {"Start",12} {"Count",10}  Problems");
        foreach (var r in ranges)
        {
            var problems = new List<string>();
            if (r.ContainsOwnId)
            {
                problems.Add("contains the user's own id");
            }

            if (r.OverlapsWith.Count > 0)
            {
                problems.Add("overlaps " + string.Join(", ", r.OverlapsWith));
            }

            if (!r.IsLargeEnough)
            {
                problems.Add("fewer than 65536 ids");
            }

            w.WriteLine($"{r.Kind,-4} {r.User,-16} {r.Start,12} {r.Count,10}  {(problems.Count == 0 ? "-" : string.Join("; ", problems))}");
        }
    }

    private static string Describe(MachineFacts facts)
    {
        var os = facts.Kernel.OsPrettyName ?? facts.Kernel.OsId ?? "unknown system";
        var host = string.IsNullOrEmpty(facts.Hostname) ? "" : facts.Hostname + ", ";
        return $"{host}{os}, kernel {facts.Kernel.Release ?? "unknown"}";
    }

    private static string VerdictSentence(Verdict verdict) => verdict switch
    {
        Verdict.Available => "Unprivileged user namespaces work: they can be created and root can be mapped inside.",
        Verdict.Limited => "A user namespace can be created, but something after that is denied or limited.",
        _ => "Unprivileged user namespaces cannot be created.",
    };

    /// <summary>What a verdict without probes can claim: what the settings allow, never that creation works.</summary>
    private static string SettingsOnlySentence(Verdict verdict) => verdict switch
    {
        Verdict.Available => "Nothing in the settings read forbids unprivileged user namespaces; no probe tested that they can be created or that root can be mapped inside.",
        Verdict.Limited => "The settings read limit unprivileged user namespaces; no probe tested what works.",
        _ => "The settings read forbid creating unprivileged user namespaces; no probe confirmed it.",
    };

    private static void Indented(TextWriter w, string text)
    {
        foreach (var line in text.Split('\n'))
        {
            w.WriteLine("    " + line.TrimEnd());
        }
    }
}
