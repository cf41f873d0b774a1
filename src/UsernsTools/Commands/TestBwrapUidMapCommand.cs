using System.Management.Automation;
using UsernsTools.Configuration;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Module.Commands;

/// <summary>Runs bubblewrap as a user in each mode and says whether it can map the user in a new user namespace, and if not, why.</summary>
/// <remarks>-Quiet: whether bwrap can map the user in a new user namespace (the strict probe).</remarks>
[Cmdlet(VerbsDiagnostic.Test, "BwrapUidMap")]
[OutputType(typeof(BwrapProbeResult), typeof(bool))]
public sealed class TestBwrapUidMapCommand : UsernsProbeCmdletBase<BwrapProbeResult>
{
    /// <summary>Probe this bwrap instead of the first one on PATH.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BwrapPath { get; set; }

    protected override IReadOnlyList<BwrapProbeResult> Probe()
    {
        var bwrapPath = BwrapPath is null ? null : ResolveFileSystemPath(BwrapPath, nameof(BwrapPath));
        var results = RunEngine(token => UsernsEngine.TestBwrapAsync(User, bwrapPath, ProbeTimeout, FrontEndWords.Cmdlets, token));
        foreach (var result in results.Where(r => r.Command.Count > 0).Take(1))
        {
            WriteVerbose($"Probing {result.Installation?.Path ?? "bwrap"} as {result.User}: {string.Join(' ', result.Command)}");
        }

        return results;
    }

    protected override bool Works(IReadOnlyList<BwrapProbeResult> results) => ProbeVerdicts.BwrapWorks(results);
}
