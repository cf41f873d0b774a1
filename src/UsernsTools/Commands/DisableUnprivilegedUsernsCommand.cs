using System.Management.Automation;
using UsernsTools.Configuration;

namespace UsernsTools.Module.Commands;

/// <summary>
/// The hardening direction: user.max_user_namespaces = 0 in the running kernel and at boot (the RHEL STIG setting),
/// after a warning that says what stops working. Journaled, so Restore-UsernsConfiguration undoes it.
/// </summary>
[Cmdlet(VerbsLifecycle.Disable, "UnprivilegedUserns", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(UsernsChange))]
public sealed class DisableUnprivilegedUsernsCommand : UsernsChangeCmdletBase
{
    protected override void EndProcessing()
    {
        var request = new DisableRequest { Force = Force.IsPresent };
        Apply((context, approve, warn, token) => Remediation.DisableAsync(request, context, approve, warn, token));
    }
}
