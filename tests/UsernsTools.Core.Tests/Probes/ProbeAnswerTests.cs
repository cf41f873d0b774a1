using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;
using Xunit;

namespace UsernsTools.Tests.Probes;

/// <summary>The one-word answers -Quiet and the CLI's exit codes give, decided in the engine.</summary>
public class ProbeAnswerTests
{
    private static UsernsProbeResult P(string name, bool ok) => new() { Name = name, Succeeded = ok, Stage = ok ? ProbeStage.None : ProbeStage.Map };

    [Theory]
    [InlineData(true, true, true, true)]
    [InlineData(true, false, false, true)]
    [InlineData(false, false, false, false)]
    [InlineData(false, true, false, false)]
    public void UserNamespacesWorkWhenCreatingAndMappingDo(bool create, bool map, bool works, bool canCreate)
    {
        var results = new[] { P(ProbeNames.CreateUserNamespace, create), P(ProbeNames.MapRootUser, map) };
        Assert.Equal(works, ProbeVerdicts.UserNamespacesWork(results));
        Assert.Equal(canCreate, ProbeVerdicts.CanCreateUserNamespace(results));
    }

    [Fact]
    public void NoProbesMeansNotWorking() => Assert.False(ProbeVerdicts.UserNamespacesWork(Array.Empty<UsernsProbeResult>()));

    [Theory]
    [InlineData(true, true, false)]
    [InlineData(false, true, true)]
    [InlineData(false, false, false)]
    public void OnlyTryModeWorksWhenStrictFailsAndTryMapped(bool strictOk, bool tryMapped, bool expected)
    {
        var results = new[]
        {
            new BwrapProbeResult { Mode = BwrapMode.Strict, Succeeded = strictOk, UidMapped = strictOk },
            new BwrapProbeResult { Mode = BwrapMode.Try, Succeeded = true, UidMapped = tryMapped },
        };
        Assert.Equal(expected, ProbeVerdicts.OnlyBwrapTryModeWorks(results));
    }
}
