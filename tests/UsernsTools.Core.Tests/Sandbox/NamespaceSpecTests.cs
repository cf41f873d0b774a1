using UsernsTools.Platform;
using UsernsTools.Sandbox;
using Xunit;

namespace UsernsTools.Tests.Sandbox;

public class NamespaceSpecTests
{
    public static TheoryData<string, Action<NamespaceSpec>> InvalidSpecs => new()
    {
        { SandboxErrorIds.FilePathMissing, s => s.FilePath = "" },
        { SandboxErrorIds.ArgumentContainsNul, s => s.ArgumentList.Add("a\0b") },
        { SandboxErrorIds.ArgumentContainsNul, s => s.FilePath = "i\0d" },
        { SandboxErrorIds.ArgumentContainsNul, s => s.Environment["X"] = "a\0" },
        { SandboxErrorIds.InvalidHostname, s => s.Hostname = "" },
        { SandboxErrorIds.InvalidHostname, s => s.Hostname = "-x" },
        { SandboxErrorIds.InvalidHostname, s => s.Hostname = "has space" },
        { SandboxErrorIds.InvalidHostname, s => s.Hostname = new string('a', 65) },
        { SandboxErrorIds.MapUserIdMissing, s => s.Mapping = IdentityMapping.User },
        { SandboxErrorIds.MapIdWithoutUserMapping, s => s.MapUserId = 5 },
        { SandboxErrorIds.MapIdWithoutUserMapping, s => { s.Mapping = IdentityMapping.RootUser; s.MapGroupId = 5; } },
        { SandboxErrorIds.MapIdOutOfRange, s => { s.Mapping = IdentityMapping.User; s.MapUserId = -1; } },
        { SandboxErrorIds.MapIdOutOfRange, s => { s.Mapping = IdentityMapping.User; s.MapUserId = 1; s.MapGroupId = 4294967295; } },
        { SandboxErrorIds.PathNotAbsolute, s => s.WorkingDirectory = "relative" },
        { SandboxErrorIds.PathNotAbsolute, s => s.BindMounts.Add(new BindMount("src", "/dst")) },
        { SandboxErrorIds.PathNotAbsolute, s => s.BindMounts.Add(new BindMount("/src", "dst")) },
        { SandboxErrorIds.InvalidEnvironmentName, s => s.Environment["A=B"] = "x" },
        { SandboxErrorIds.InvalidEnvironmentName, s => s.Environment[""] = "x" },
        { SandboxErrorIds.TimeoutNotPositive, s => s.Timeout = TimeSpan.Zero },
        { SandboxErrorIds.TimeoutTooLong, s => s.Timeout = TimeSpan.FromSeconds(5000000) },
        { SandboxErrorIds.TimeoutTooLong, s => s.Timeout = TimeSpan.MaxValue },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void ValidateNamesTheProblem(string errorId, Action<NamespaceSpec> change)
    {
        var spec = new NamespaceSpec { FilePath = "id" };
        change(spec);
        var ex = Assert.Throws<UsernsException>(spec.Validate);
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(UsernsErrorCategory.InvalidArgument, ex.Category);
    }

    [Fact]
    public void ValidSpecPasses()
    {
        var spec = new NamespaceSpec
        {
            FilePath = "sh",
            ArgumentList = { "-c", "echo \"$1\"", "sh", "" },
            Mapping = IdentityMapping.User,
            MapUserId = 4294967294,
            Hostname = "a-b.c",
            WorkingDirectory = "/",
            Environment = { ["A"] = "1", ["B"] = null },
            Timeout = TimeSpan.FromSeconds(1),
        };
        spec.Validate();
        Assert.Equal(4294967294, spec.EffectiveMapGroupId);
    }

    [Fact]
    public void OptionsImplyTheirNamespaces()
    {
        var spec = new NamespaceSpec { FilePath = "id", Mapping = IdentityMapping.RootUser, Hostname = "h", MountProc = true, LoopbackNetwork = true };
        Assert.Equal(NamespaceKind.User | NamespaceKind.Uts | NamespaceKind.Mount | NamespaceKind.Net, spec.ImpliedNamespaces());
        Assert.Equal(NamespaceKind.None, new NamespaceSpec { FilePath = "id" }.ImpliedNamespaces());
    }

    [Theory]
    [InlineData("unshare from util-linux 2.38.1", "2.38.1")]
    [InlineData("unshare from util-linux 2.40", "2.40")]
    [InlineData("bubblewrap 0.8.0\n", "0.8.0")]
    [InlineData("no version here", null)]
    [InlineData(null, null)]
    public void ToolVersionIsTheFirstDottedNumber(string? text, string? expected)
    {
        Assert.Equal(expected is null ? null : Version.Parse(expected), UsernsTools.Facts.ToolVersion.AsVersion(text));
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
