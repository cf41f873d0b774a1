using System.Management.Automation;
using UsernsTools.Diagnosis;
using UsernsTools.Probes;

namespace UsernsTools.Module.Commands;

/// <summary>Really tries to create (and map, and use) user namespaces as a user, and says at which stage it failed.</summary>
/// <remarks>-Quiet: whether a user namespace can be created and the user mapped to root in it.</remarks>
[Cmdlet(VerbsDiagnostic.Test, "UserNamespace")]
[OutputType(typeof(UsernsProbeResult), typeof(bool))]
public sealed class TestUserNamespaceCommand : UsernsProbeCmdletBase<UsernsProbeResult>
{
    protected override IReadOnlyList<UsernsProbeResult> Probe()
    {
        var subject = UsernsEngine.ResolveSubject(User);
        WriteVerbose(DiagnosisNarrative.Subject(subject));
        var results = RunEngine(token => UsernsEngine.TestUserNamespaceAsync(subject, ProbeTimeout, token));
        foreach (var line in DiagnosisNarrative.Probes(results))
        {
            WriteVerbose(line);
        }

        return results;
    }

    protected override bool Works(IReadOnlyList<UsernsProbeResult> results) => ProbeVerdicts.UserNamespacesWork(results);
}
