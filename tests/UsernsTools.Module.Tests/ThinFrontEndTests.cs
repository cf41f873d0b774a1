using UsernsTools.Tests;
using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>The cmdlets are thin: each binds its parameters, makes one call through the engine's doors and writes objects.</summary>
public sealed class ThinFrontEndTests
{
    [Fact]
    public void TheCmdletsCallTheEngineOnlyThroughItsDoors()
    {
        var called = FrontEndCalls.StaticClassesCalled(Path.Combine(RepositoryLayout.ModuleDirectory, "UsernsTools.dll"), typeof(UsernsEngine).Assembly);

        Assert.Contains("UsernsTools.UsernsEngine", called);
        Assert.All(called, name => Assert.True(
            FrontEndCalls.Doors.Contains(name) || FrontEndCalls.Vocabulary.Contains(name),
            $"The module calls {name} directly; go through a door: {string.Join(", ", FrontEndCalls.Doors)}."));
    }
}
