namespace UsernsTools.Facts.Denials;

/// <summary>What each kind of denial means for user namespaces, with the line's own names filled in.</summary>
internal static class DenialMeaning
{
    public static string Explain(UsernsDenial denial)
    {
        ArgumentNullException.ThrowIfNull(denial);
        var process = denial.ProcessName is null ? "the process" : "'" + denial.ProcessName + "'";
        return denial.Kind switch
        {
            DenialKind.AppArmorUsernsTransition =>
                $"AppArmor let {process} create a user namespace but moved it into the '{denial.Target ?? "unprivileged_userns"}' profile, which has no capabilities: uid map writes, mounts and network set-up inside will fail (kernel.apparmor_restrict_unprivileged_userns=1).",
            DenialKind.AppArmorUsernsCreateRestricted =>
                $"AppArmor blocked {process} from creating a user namespace: unprivileged user namespace creation is restricted" + (denial.Info?.Contains("failed to find unprivileged profile", StringComparison.OrdinalIgnoreCase) == true ? " and the unprivileged_userns profile is not loaded." : "."),
            DenialKind.AppArmorUsernsCreateDenied =>
                $"AppArmor profile '{denial.Profile}' confining {process} lacks the 'userns,' rule, so creating a user namespace was denied; add 'userns,' to that profile.",
            DenialKind.AppArmorCapabilityDenied =>
                $"AppArmor profile '{denial.Profile}' denied capability '{denial.Capability}' to {process} inside its user namespace" + (denial.Profile == "unprivileged_userns" ? ": the Ubuntu restriction on unprivileged user namespaces at work." : "."),
            DenialKind.AppArmorMapWriteDenied =>
                $"AppArmor profile '{denial.Profile}' denied {process} writing {denial.Name}: this is why bwrap reports 'setting up uid map: Permission denied'.",
            DenialKind.AppArmorOther =>
                $"AppArmor event '{denial.Decision}' for operation '{denial.Operation}' of {process} involving user namespaces.",
            DenialKind.SelinuxUserNamespaceDenied =>
                $"SELinux denied {{ {denial.Operation} }} on user_namespace to {process} (domain {denial.Profile}): the policy forbids this domain to create user namespaces.",
            DenialKind.SelinuxCapabilityDenied =>
                $"SELinux denied capability {{ {denial.Operation} }} ({denial.Class}) inside a user namespace to {process} (domain {denial.Profile}).",
            DenialKind.SeccompNamespaceSyscall =>
                $"A seccomp filter acted on {denial.Operation}() by {process} (code {denial.Decision}): typically a container's profile refusing new namespaces.",
            DenialKind.SeccompClone =>
                $"A seccomp filter acted on clone() by {process} (code {denial.Decision}); clone with namespace flags is what Docker's default profile refuses.",
            _ => "",
        };
    }
}
