using System.Text.Json;
using Xunit;

namespace UsernsTools.Tests.Cli;

/// <summary>Without probes the verdict rests on the settings alone: the CLI says so and claims nothing only a probe shows.</summary>
public class CliNoProbeTests
{
    private const string ProbedClaim = "they can be created and root can be mapped inside";

    [Fact]
    public void ReportWithoutProbesSaysItWasNotProbed()
    {
        var result = Cli.Run("status", "--from", Cli.Fixture("debian-12-no-probe.json"));

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n');
        Assert.StartsWith("Verdict: Available (settings only, not probed) for dev (uid 1000)", lines[0], StringComparison.Ordinal);
        Assert.Equal("Nothing in the settings read forbids unprivileged user namespaces; no probe tested that they can be created or that root can be mapped inside.", lines[1]);
        Assert.Contains("No findings in the settings read.", lines);
        Assert.DoesNotContain("No findings.", lines);
        Assert.DoesNotContain(ProbedClaim, result.Stdout, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("Note: The report holds no probe results (it was recorded without probes): the verdict rests on the settings alone.", StringComparison.Ordinal));
    }

    [Fact]
    public void ProbedReportKeepsItsClaim()
    {
        var result = Cli.Run("status", "--from", Cli.Fixture("debian-12-healthy.json"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(ProbedClaim, result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("not probed", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("settings alone", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportWithoutProbesSaysItInJson()
    {
        var result = Cli.Run("status", "--json", "--from", Cli.Fixture("debian-12-no-probe.json"));

        using var json = JsonDocument.Parse(result.Stdout);
        Assert.False(json.RootElement.GetProperty("probed").GetBoolean());
        Assert.Contains("the verdict rests on the settings alone", json.RootElement.GetProperty("notes")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LiveNoProbeRunSaysItWasNotProbed()
    {
        var text = Cli.Run("status", "--no-probe");
        var json = Cli.Run("status", "--json", "--no-probe");

        Assert.Contains("(settings only, not probed)", text.Stdout.Split('\n')[0], StringComparison.Ordinal);
        Assert.DoesNotContain(ProbedClaim, text.Stdout, StringComparison.Ordinal);
        Assert.Contains("Note: No probe ran: the verdict rests on the settings alone.", text.Stdout, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.False(doc.RootElement.GetProperty("probed").GetBoolean());
        Assert.StartsWith("No probe ran: the verdict rests on the settings alone.", doc.RootElement.GetProperty("notes")[0].GetString(), StringComparison.Ordinal);
    }
}
