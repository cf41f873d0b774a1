using System.Text.Json;
using UsernsTools.Facts.Denials;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;
using UsernsTools.Serialization;
using Xunit;

namespace UsernsTools.Tests.Bwrap;

public class BwrapJsonTests
{
    [Fact]
    public void ProbeResultsSurviveJsonWithCamelCaseNamesAndEnumsAsStrings()
    {
        IReadOnlyList<BwrapProbeResult> results = new[]
        {
            new BwrapProbeResult
            {
                Mode = BwrapMode.Network,
                ErrorKind = BwrapErrorKind.LoopbackSetupDenied,
                Errno = Errno.EPERM,
                Stage = ProbeStage.Use,
                StandardError = "bwrap: loopback: Failed RTM_NEWADDR: Operation not permitted\n",
                AppArmorProfileFixApplies = true,
                Installation = new BwrapInstallation { Path = "/usr/bin/bwrap", Version = "0.9.0", SupportsSetuid = true },
                Command = new[] { "/usr/bin/bwrap", "--unshare-net" },
            },
        };

        var json = JsonSerializer.Serialize(results, UsernsJsonContext.Default.IReadOnlyListBwrapProbeResult);
        Assert.Contains("\"errorKind\": \"LoopbackSetupDenied\"", json, StringComparison.Ordinal);
        Assert.Contains("\"appArmorProfileFixApplies\": true", json, StringComparison.Ordinal);

        var back = JsonSerializer.Deserialize(json, UsernsJsonContext.Default.IReadOnlyListBwrapProbeResult)!;
        var result = Assert.Single(back);
        Assert.Equal(BwrapMode.Network, result.Mode);
        Assert.Equal(Errno.EPERM, result.Errno);
        Assert.Equal("0.9.0", result.Installation!.Version);
        Assert.Equal(results[0].Command, result.Command);
    }

    [Fact]
    public void DenialsSurviveJson()
    {
        var denial = DenialParser.Parse("audit: type=1400 audit(1714039200.125:457): apparmor=\"DENIED\" operation=\"capable\" class=\"cap\" profile=\"unprivileged_userns\" pid=4322 comm=\"bwrap\" capability=21  capname=\"sys_admin\"")!;
        var json = JsonSerializer.Serialize(denial, UsernsJsonContext.Default.UsernsDenial);
        Assert.Contains("\"kind\": \"AppArmorCapabilityDenied\"", json, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize(json, UsernsJsonContext.Default.UsernsDenial)!;
        Assert.Equal(denial.Time, back.Time);
        Assert.Equal(denial.Capability, back.Capability);
        Assert.Equal(denial.RawLine, back.RawLine);
        Assert.Equal(denial.Meaning, back.Meaning);
    }
}
