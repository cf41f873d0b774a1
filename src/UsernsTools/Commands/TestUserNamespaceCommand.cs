using System.Management.Automation;
using UsernsTools.Probes;

namespace UsernsTools.Module.Commands;

/// <summary>Really tries to create (and map, and use) user namespaces as a user, and says at which stage it failed.</summary>
/// <remarks>-Quiet: whether a user namespace can be created and the user mapped to root in it.</remarks>
[Cmdlet(VerbsDiagnostic.Test, "UserNamespace")]
[OutputType(typeof(UsernsProbeResult), typeof(bool))]
public sealed class TestUserNamespaceCommand : UsernsProbeCmdletBase<UsernsProbeResult>
{
    protected override IReadOnlyList<UsernsProbeResult> Probe() =>
        RunEngine(token => UsernsEngine.TestUserNamespaceAsync(User, ProbeTimeout, token));

    protected override bool Works(IReadOnlyList<UsernsProbeResult> results) => UsernsProber.Works(results);
}
