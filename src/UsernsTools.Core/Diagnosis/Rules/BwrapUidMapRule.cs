using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>
/// bwrap creates the user namespace but may not write its uid map (or gid map, setgroups): Ubuntu 23.10 and later
/// with kernel.apparmor_restrict_unprivileged_userns=1 is the common case. Blocking for bwrap, so the verdict is
/// Limited when unshare itself works.
/// </summary>
internal sealed class BwrapUidMapRule : IDiagnosisRule
{
    internal static bool IsMapDenial(BwrapProbeResult probe) =>
        probe.ErrorKind is BwrapErrorKind.UidMapDenied or BwrapErrorKind.GidMapDenied or BwrapErrorKind.SetgroupsDenied;

    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var failed = context.BwrapProbes.Where(IsMapDenial).ToList();
        if (failed.Count == 0)
        {
            yield break;
        }

        var first = failed.Find(p => p.Mode == BwrapMode.Strict) ?? failed[0];
        var cause = BwrapAdvice.Cause(context, first);
        var bwrapPath = context.BwrapProbePath;
        var (remediation, fix) = BwrapAdvice.Remediation(context, cause, bwrapPath);

        // The other modes fail on the same missing capabilities (loopback comes before the map): one cause, one finding.
        var evidence = failed.Select(Evidence.Of).ToList();
        evidence.AddRange(context.BwrapProbes
            .Where(p => !p.Succeeded && !IsMapDenial(p) && p.Stage is ProbeStage.Use)
            .Select(Evidence.Of));

        var what = first.ErrorKind switch
        {
            BwrapErrorKind.GidMapDenied => "gid_map",
            BwrapErrorKind.SetgroupsDenied => "setgroups",
            _ => "uid_map",
        };
        yield return new UsernsFinding
        {
            Id = FindingIds.BwrapUidMapDenied,
            Severity = Severity.Blocking,
            Evidence = evidence,
            Explanation = $"bwrap created a user namespace for {context.Subject.User} but writing its {what} was refused (`bwrap: {first.Message?.Trim()}`), "
                + "so no bwrap sandbox (Flatpak, GNOME's thumbnailers, build tools) can start. "
                + (cause.Text ?? first.Explanation),
            Remediation = remediation,
            Fix = fix,
        };
    }
}
