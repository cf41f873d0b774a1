using UsernsTools.Facts;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Diagnosis;

/// <summary>The shared wording of the bwrap findings: the machine's likely cause, and the fix least privilege first.</summary>
internal static class BwrapAdvice
{
    /// <summary>The cmdlet line that gives bwrap its own AppArmor profile with <c>userns,</c>.</summary>
    public static string ProfileFixCommand(string bwrapPath) => $"Enable-UnprivilegedUserns -Method AppArmorProfile -ProgramPath {bwrapPath}";

    /// <summary>The cause on this machine, read from the probe and the facts (the same analysis Test-BwrapUidMap shows).</summary>
    public static BwrapCause Cause(DiagnosisContext context, BwrapProbeResult probe) => BwrapCauseAnalyzer.Explain(probe, context.Facts);

    /// <summary>What to do, with the per-program profile first when it applies, and the command that does it.</summary>
    public static (string Remediation, string? FixCommand) Remediation(DiagnosisContext context, BwrapCause cause, string bwrapPath)
    {
        if (!cause.AppArmorProfileFixApplies)
        {
            return (cause.Text ?? "Read the probe's message and the kernel log (Get-UsernsDenial).", null);
        }

        var fix = ProfileFixCommand(bwrapPath);
        var restrict = context.Setting(SettingNames.AppArmorRestrict);
        var lastResort = restrict is null
            ? ""
            : $" Only as a last resort turn the restriction off for every program: `{SysctlAdvice.FixCommand(restrict.Name, "0")}`.";
        return (
            $"Least privilege first: give bwrap its own AppArmor profile with the `userns,` rule: `{fix}` writes /etc/apparmor.d/bwrap "
            + $"(`profile bwrap {bwrapPath} flags=(unconfined) {{ userns, }}`) and loads it with `apparmor_parser -r`; programs that run bwrap (Flatpak, GNOME) then work."
            + lastResort
            + " Never make bwrap setuid or disable AppArmor as a whole.",
            fix);
    }
}
