using UsernsTools.Facts;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>No /proc/self/uid_map: the kernel was built without CONFIG_USER_NS.</summary>
internal sealed class KernelSupportRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        // WSL1 and the RHEL 7 switch have their own, more precise findings; an empty snapshot read nothing.
        if (!context.HasKernelFacts || context.Process.UidMap is not null || context.Environment.Wsl == WslKind.Wsl1
            || context.Setting(SettingNames.UserNamespaceEnable) is not null || context.CreationWorks == true)
        {
            yield break;
        }

        yield return new UsernsFinding
        {
            Id = FindingIds.KernelWithoutUserNamespaces,
            Severity = Severity.Blocking,
            Evidence = new[] { $"/proc/self/uid_map does not exist (kernel {context.Facts.Kernel?.Release})" },
            Explanation = "The kernel has no user namespace support (built without CONFIG_USER_NS): creating one fails with EINVAL.",
            Remediation = "Boot a kernel built with CONFIG_USER_NS=y; every major distribution's standard kernel has it.",
            Fix = null,
        };
    }
}
