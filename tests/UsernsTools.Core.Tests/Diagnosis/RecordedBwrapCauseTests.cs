using System.Text.Json.Nodes;
using UsernsTools.Diagnosis;
using UsernsTools.Probes.Bwrap;
using UsernsTools.Serialization;
using Xunit;

namespace UsernsTools.Tests.Diagnosis;

/// <summary>
/// A report records what the bwrap probes did; the likely cause of a failure is worked out when the report is
/// diagnosed, by this version, whatever cause (if any) the recording machine's version wrote into it.
/// </summary>
public sealed class RecordedBwrapCauseTests
{
    private const string OldCause = "An older version's guess: reinstall bubblewrap.";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ARecordedProbeGetsTheCauseThisVersionWorksOut(bool recordedWithCause)
    {
        var report = JsonNode.Parse(Fixtures.Text("ubuntu-24.04-bwrap-uid-map"))!.AsObject();
        foreach (var node in report["bwrapProbes"]!.AsArray())
        {
            var probe = node!.AsObject();
            probe.Remove("likelyCause");
            probe.Remove("appArmorProfileFixApplies");
            if (recordedWithCause)
            {
                probe["likelyCause"] = OldCause;
                probe["appArmorProfileFixApplies"] = false;
            }
        }

        var status = Diagnoser.Diagnose(ReportReader.Parse(report.ToJsonString(), "older.json"), fromReport: true);

        // Ubuntu 24.04 with kernel.apparmor_restrict_unprivileged_userns=1: bwrap's uid map is refused by the
        // unprivileged_userns profile, which bwrap's own profile with 'userns,' lifts.
        var refused = status.BwrapProbes.Where(p => p.ErrorKind == BwrapErrorKind.UidMapDenied).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, p =>
        {
            Assert.StartsWith("kernel.apparmor_restrict_unprivileged_userns is 1", p.LikelyCause, StringComparison.Ordinal);
            Assert.True(p.AppArmorProfileFixApplies);
        });
        Assert.DoesNotContain(status.BwrapProbes, p => p.LikelyCause == OldCause);
        Assert.All(status.BwrapProbes.Where(p => p.Succeeded), p => Assert.Null(p.LikelyCause));
    }
}
