using UsernsTools.Tests;
using Xunit;

namespace UsernsTools.Tests.Cli;

/// <summary>The command is a thin front end: every operation it offers is one call through the engine's doors.</summary>
public sealed class ThinFrontEndTests
{
    [Fact]
    public void TheCommandCallsTheEngineOnlyThroughItsDoors()
    {
        var called = FrontEndCalls.StaticClassesCalled(Cli.DllPath, typeof(UsernsEngine).Assembly);

        Assert.Contains("UsernsTools.UsernsEngine", called);
        Assert.All(called, name => Assert.True(
            FrontEndCalls.Doors.Contains(name) || FrontEndCalls.Vocabulary.Contains(name),
            $"usernstools calls {name} directly; go through a door: {string.Join(", ", FrontEndCalls.Doors)}."));
    }
}
