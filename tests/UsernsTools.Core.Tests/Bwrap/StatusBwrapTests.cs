using System.Globalization;
using UsernsTools.Diagnosis;
using UsernsTools.Facts.Denials;
using UsernsTools.Probes.Bwrap;
using Xunit;

namespace UsernsTools.Tests.Bwrap;

/// <summary>The live status runs the bwrap probes and the denial scan with the unshare probes, and -NoProbe runs none of them.</summary>
public sealed class StatusBwrapTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("usernstools-status-");

    public void Dispose() => _dir.Delete(recursive: true);

    private DenialQuery LogsWithOneRecentDenial()
    {
        var audit = Directory.CreateDirectory(Path.Combine(_dir.FullName, "var", "log", "audit"));
        var stamp = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(
            Path.Combine(audit.FullName, "audit.log"),
            $"type=AVC msg=audit({stamp}.000:9): apparmor=\"DENIED\" operation=\"capable\" class=\"cap\" profile=\"unprivileged_userns\" pid=4242 comm=\"bwrap\" capability=21  capname=\"sys_admin\"\n");
        return new DenialQuery { Root = _dir.FullName };
    }

    [KernelFact("bwrap", "unshare", "setpriv", RequiresRoot = true)]
    public async Task LiveStatusProbesBwrapAsTheSubjectAndQuotesRecentDenials()
    {
        var status = await UsernsEngine.GetStatusAsync(new StatusRequest { ProbeTimeout = TimeSpan.FromSeconds(10), DenialQuery = LogsWithOneRecentDenial() }, CancellationToken.None);

        Assert.Equal(Enum.GetValues<BwrapMode>(), status.BwrapProbes.Select(p => p.Mode));
        Assert.All(status.BwrapProbes, p => Assert.True(p.Succeeded, p.Mode + ": " + p.StandardError));
        Assert.All(status.BwrapProbes, p => Assert.Equal(status.Subject.User, p.User));
        Assert.Equal(Verdict.Available, status.Verdict);
        var denial = Assert.Single(status.Denials);
        Assert.Equal(DenialKind.AppArmorCapabilityDenied, denial.Kind);
        Assert.Equal("/var/log/audit/audit.log", denial.Origin);
    }

    [Fact]
    public async Task NoProbeStartsNoBwrapAndReadsNoLog()
    {
        var status = await UsernsEngine.GetStatusAsync(new StatusRequest { NoProbe = true, DenialQuery = LogsWithOneRecentDenial() }, CancellationToken.None);

        Assert.Empty(status.Probes);
        Assert.Empty(status.BwrapProbes);
        Assert.Empty(status.Denials);
    }
}
