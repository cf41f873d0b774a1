using UsernsTools.Configuration;
using UsernsTools.Facts;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Diagnosis;

/// <summary>The shared wording of the bwrap findings: the machine's likely cause, and the fix least privilege first.</summary>
internal static class BwrapAdvice
{
    /// <summary>The fix that gives bwrap its own AppArmor profile with <c>userns,</c>.</summary>
    public static FindingFix ProfileFix(string bwrapPath) => FindingFix.Profiles(new[] { bwrapPath });

    /// <summary>What the profile fix writes and loads, named as Enable really names it.</summary>
    public static string WhatTheProfileFixWrites(string programPath) =>
        $"writes {AppArmorProfileWriter.ProfileFile(programPath)} (`profile {AppArmorProfileWriter.ProfileName(programPath)} {programPath} flags=(unconfined) {{ userns, }}`) "
        + "and loads it with `apparmor_parser -r`";

    /// <summary>The cause on this machine, read from the probe and the facts (the same analysis Test-BwrapUidMap shows).</summary>
    public static BwrapCause Cause(DiagnosisContext context, BwrapProbeResult probe) => BwrapCauseAnalyzer.Explain(probe, context.Facts, context.Words);

    /// <summary>What to do, with the per-program profile first when it applies, and the fix that does it.</summary>
    public static (string Remediation, FindingFix? Fix) Remediation(DiagnosisContext context, BwrapCause cause, string bwrapPath)
    {
        ArgumentNullException.ThrowIfNull(context);
        var words = context.Words;
        if (!cause.AppArmorProfileFixApplies)
        {
            return (InOwnWords(cause.Text, words) ?? $"Read the probe's message and the kernel log (`{words.Denials}`).", null);
        }

        var fix = ProfileFix(bwrapPath);
        var restrict = context.Setting(SettingNames.AppArmorRestrictUnprivilegedUserns);
        var lastResort = restrict is null
            ? ""
            : $" Only as a last resort turn the restriction off for every program: `{SysctlAdvice.Fix(restrict.Name, "0").Render(words)}`.";
        return (
            $"Least privilege first: give bwrap its own AppArmor profile with the `userns,` rule: `{fix.Render(words)}` {WhatTheProfileFixWrites(bwrapPath)}; "
            + "programs that run bwrap (Flatpak, GNOME) then work."
            + lastResort
            + " Never make bwrap setuid or disable AppArmor as a whole.",
            fix);
    }

    /// <summary>
    /// The bwrap cause analysis is worded for the cmdlets (Test-BwrapUidMap shows it as is); the few commands it names
    /// are put in the reader's words here.
    /// </summary>
    private static string? InOwnWords(string? text, FrontEndWords words) => text is null || !words.IsCommandLine
        ? text
        : text.Replace("Get-UsernsDenial", words.Denials, StringComparison.Ordinal)
            .Replace("`Invoke-NamespacedProcess` without `-MountProc`", $"`{words.Run}` without `{words.MountProc}`", StringComparison.Ordinal);
}
