using UsernsTools.Probes;

namespace UsernsTools.Diagnosis.Rules;

/// <summary>SELinux enforcing with a policy that knows the user_namespace class: it may deny creation per domain.</summary>
internal sealed class SelinuxRule : IDiagnosisRule
{
    public IEnumerable<UsernsFinding> Evaluate(DiagnosisContext context)
    {
        var modules = context.SecurityModules;
        if (modules.SelinuxEnforcing != true || !modules.SelinuxMediatesUserns)
        {
            yield break;
        }

        var evidence = new List<string>
        {
            "/sys/fs/selinux/enforce = 1",
            "/sys/fs/selinux/class/user_namespace exists: the policy mediates user_namespace { create }",
        };
        var remediation = "find the denial in the audit log (`ausearch -m avc -ts recent`, lines like `avc: denied { create } ... tclass=user_namespace`, or `" + context.Words.Denials + "`) "
            + "and allow it for that one domain with a local policy module (`audit2allow -a -M local_userns` then `semodule -i local_userns.pp`, "
            + "which adds `allow <domain> self:user_namespace create;`). Do not switch SELinux to permissive or disabled for it.";

        // AppArmor can also answer EACCES; only blame SELinux when AppArmor does not mediate user namespaces here.
        var appArmorCanDeny = modules.AppArmorEnabled == true && modules.AppArmorMediatesUserns;
        if (context.UserNamespaceFailedWith(Errno.EACCES) is { } denied && !appArmorCanDeny)
        {
            evidence.Add(Evidence.Of(denied));
            yield return new UsernsFinding
            {
                Id = FindingIds.SelinuxDeniesUserns,
                Severity = Severity.Blocking,
                Evidence = evidence,
                Explanation = "Creating a user namespace failed with EACCES while SELinux is enforcing a policy that mediates user namespace creation: "
                    + "the policy does not grant user_namespace { create } to the subject's domain.",
                Remediation = char.ToUpperInvariant(remediation[0]) + remediation[1..],
                Fix = null,
            };
            yield break;
        }

        // Mediation is Fedora's healthy default: only a recorded denial makes it worth a warning.
        var logged = context.Denials.Any(d => d.Source == Facts.Denials.DenialSource.Selinux);
        yield return new UsernsFinding
        {
            Id = FindingIds.SelinuxMediatesUserns,
            Severity = logged ? Severity.Warning : Severity.Info,
            Evidence = evidence,
            Explanation = "SELinux is enforcing a policy that mediates user namespace creation (kernel 6.1 and later; Fedora's policy since 2022). "
                + "The probes ran in the subject's own domain; a program confined in another domain (a service, a container) may still be denied with EACCES.",
            Remediation = "Nothing to change while the programs you need work. If one fails with EACCES: " + remediation,
            Fix = null,
        };
    }
}
