using UsernsTools.Facts;
using UsernsTools.Probes;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>kernel.unprivileged_userns_clone = 0: the Debian/Ubuntu/Arch switch that limits creation to CAP_SYS_ADMIN.</summary>
internal sealed class UnprivilegedUsernsCloneRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var setting = context.Setting(SettingNames.UnprivilegedUsernsClone);
        if (setting is null || context.Number(setting.Name) != 0)
        {
            yield break;
        }

        var evidence = new List<string> { Evidence.Of(setting) };
        if (context.UserNamespaceFailedWith(Errno.EPERM) is { } probe)
        {
            evidence.Add(Evidence.Of(probe));
        }

        var distro = context.Distribution;
        var release = context.Facts.Kernel?.Release ?? "";
        var why = distro.Family switch
        {
            OsFamily.Debian => " Debian 10 and older ship 0; Debian 11 and later default to 1.",
            OsFamily.Arch when release.Contains("hardened", StringComparison.OrdinalIgnoreCase) =>
                " The linux-hardened kernel sets 0 on purpose to shrink the kernel's attack surface; the linux, linux-lts and linux-zen kernels default to 1.",
            OsFamily.Ubuntu => " Ubuntu 23.10 and later restrict user namespaces through AppArmor instead (kernel.apparmor_restrict_unprivileged_userns), which keeps per-program control.",
            _ => "",
        };

        var remediation = "Set it to 1: " + SysctlAdvice.SetNowAndAtBoot(setting, "1", context.Words);
        if (distro.Family == OsFamily.Arch && release.Contains("hardened", StringComparison.OrdinalIgnoreCase))
        {
            remediation += " On linux-hardened this undoes one of its hardenings; if that matters more here, boot the linux-lts kernel for the sandboxed workloads instead. Do not install a setuid bwrap (bubblewrap-suid) as a way around it.";
        }
        else
        {
            remediation += " Do not make bwrap setuid as a way around it.";
        }

        yield return new UsernsFinding
        {
            Id = FindingIds.UnprivilegedUsernsCloneDisabled,
            // Root holds CAP_SYS_ADMIN and is not affected; everyone else is.
            Severity = context.SubjectIsRoot ? Severity.Warning : Severity.Blocking,
            Setting = setting.Name,
            CurrentValue = setting.RuntimeValue?.Trim(),
            RecommendedValue = "1",
            Evidence = evidence,
            Explanation = "With kernel.unprivileged_userns_clone = 0 only processes holding CAP_SYS_ADMIN may create a user namespace: "
                + "unprivileged bwrap, rootless Podman, Flatpak and browser sandboxes fail with EPERM "
                + "(`unshare: unshare failed: Operation not permitted`, `bwrap: No permissions to create a new namespace`)." + why,
            Remediation = remediation,
            Fix = SysctlAdvice.Fix(setting.Name, "1"),
        };
    }
}
