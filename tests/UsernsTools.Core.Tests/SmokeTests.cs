using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests;

public class ProcessRunnerTests
{
    [Fact]
    public async Task ArgumentsReachTheProcessByteForByte()
    {
        var arg = "a b; $(echo x) 'q' \"d\"\nline";
        var result = await ProcessRunner.Instance.RunAsync(new ProcessRequest(new[] { "printf", "%s", arg }), CancellationToken.None);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(arg, result.StandardOutput);
    }

    [Fact]
    public async Task MissingProgramIsReportedNotThrown()
    {
        var result = await ProcessRunner.Instance.RunAsync(new ProcessRequest(new[] { "/nonexistent/tool" }), CancellationToken.None);
        Assert.False(result.Started);
        Assert.NotNull(result.StartError);
    }

    [Fact]
    public async Task TimeoutKillsTheWholeTree()
    {
        var result = await ProcessRunner.Instance.RunAsync(
            new ProcessRequest(new[] { "sh", "-c", "sleep 30 & sleep 30" }) { Timeout = TimeSpan.FromMilliseconds(300) },
            CancellationToken.None);
        Assert.True(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.True(result.Duration < TimeSpan.FromSeconds(10));
    }
}
