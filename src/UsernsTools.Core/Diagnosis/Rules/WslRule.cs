using UsernsTools.Facts;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>WSL1 translates system calls and has no user namespaces.</summary>
internal sealed class WslRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        if (context.Environment.Wsl != WslKind.Wsl1)
        {
            yield break;
        }

        var evidence = new List<string> { $"kernel release {context.Facts.Kernel?.Release ?? "(unknown)"}: WSL1" };
        if (context.UserNamespaceFailedWith(Probes.Errno.EINVAL) is { } probe)
        {
            evidence.Add(Evidence.Of(probe));
        }

        yield return new UsernsFinding
        {
            Id = FindingIds.Wsl1NoUserNamespaces,
            Severity = Severity.Blocking,
            Evidence = evidence,
            Explanation = "This is WSL1, which emulates Linux system calls on the Windows kernel and has no user namespaces: creating one fails with EINVAL "
                + "(`unshare: unshare failed: Invalid argument`). No setting inside the distribution changes that.",
            Remediation = "Convert the distribution to WSL2, which runs a real Linux kernel with user namespaces: in Windows, `wsl --set-version <distribution> 2` "
                + "(list them with `wsl -l -v`).",
            Fix = null,
        };
    }
}
