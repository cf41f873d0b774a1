using UsernsTools.Platform;
using UsernsTools.Sandbox;
using Xunit;

namespace UsernsTools.Tests.Sandbox;

/// <summary>Words that .NET could only read lossily are refused, never passed on changed.</summary>
public class ByteExactGuardTests
{
    [Fact]
    public void AnInheritedVariableThatIsNotUtf8StopsTheRun()
    {
        var ex = Assert.Throws<UsernsException>(() => ByteExactGuard.ThrowIfEnvironmentIsLossy(new NamespaceSpec { FilePath = "env" }, new[] { "LATIN1" }));
        Assert.Equal(SandboxErrorIds.NotUtf8, ex.ErrorId);
        Assert.Equal(UsernsErrorCategory.InvalidData, ex.Category);
        Assert.Contains("LATIN1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AVariableTheRunSetsOrClearsIsNotInherited()
    {
        var set = new NamespaceSpec { FilePath = "env" };
        set.Environment["LATIN1"] = "café";
        ByteExactGuard.ThrowIfEnvironmentIsLossy(set, new[] { "LATIN1" });
        var removed = new NamespaceSpec { FilePath = "env" };
        removed.Environment["LATIN1"] = null;
        ByteExactGuard.ThrowIfEnvironmentIsLossy(removed, new[] { "LATIN1" });
        ByteExactGuard.ThrowIfEnvironmentIsLossy(new NamespaceSpec { FilePath = "env", ClearEnvironment = true }, new[] { "LATIN1" });
    }

    [Fact]
    public void ANonUtf8ArgumentIsNamedWithItsBytes()
    {
        Assert.Equal("caf\\xe9 \\x5c", ProcessBytes.Show(new byte[] { 0x63, 0x61, 0x66, 0xe9, 0x20, 0x5c }));
        var ex = Assert.Throws<UsernsException>(() => ByteExactGuard.ThrowIfArgumentsAreLossy(new[] { "caf\\xe9" }));
        Assert.Equal(UsernsErrorCategory.InvalidArgument, ex.Category);
        Assert.Contains("'caf\\xe9' is not valid UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALoneSurrogateIsRefusedBySpecValidation()
    {
        var spec = new NamespaceSpec { FilePath = "printf" };
        spec.ArgumentList.Add("a\ud800b");
        var ex = Assert.Throws<UsernsException>(spec.Validate);
        Assert.Equal(SandboxErrorIds.NotUtf8, ex.ErrorId);
        Assert.False(ProcessBytes.HasLoneSurrogate("ok \ud83d\ude00"));
    }
}
