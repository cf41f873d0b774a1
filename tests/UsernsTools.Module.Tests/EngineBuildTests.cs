using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Versioning;
using UsernsTools.Loader;
using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>
/// The two engine builds in the module folder, and which one the nested loader module picks for a runtime. pwsh 7.4
/// and 7.5 (.NET 8 and 9) are not on this machine: what they load is the net8.0 file the choice leaves to them, proven
/// here by its target framework. The Pester suite proves the choice on this pwsh (tests/pester/Import-Module.Tests.ps1).
/// </summary>
public class EngineBuildTests
{
    private static string Beside => Path.Combine(RepositoryLayout.ModuleDirectory, "UsernsTools.Core.dll");

    private static string Precompiled => Path.Combine(RepositoryLayout.ModuleDirectory, "net10.0", "UsernsTools.Core.dll");

    [Fact]
    public void TheEngineBesideTheModuleIsTheNet8BuildThatPwsh74Loads()
    {
        Assert.Equal(".NETCoreApp,Version=v8.0", TargetFramework(Beside));
    }

    [Fact]
    public void ThePrecompiledEngineIsANet10ReadyToRunBuildForX64()
    {
        Assert.Equal(".NETCoreApp,Version=v10.0", TargetFramework(Precompiled));
        using var pe = new PEReader(File.OpenRead(Precompiled));
        Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, "no ReadyToRun header: the file is IL only");
        // A ReadyToRun image for Linux marks its machine XOR 0x7B79.
        Assert.Equal(Machine.Amd64, (Machine)((ushort)pe.PEHeaders.CoffHeader.Machine ^ 0x7B79));
    }

    [Theory]
    [InlineData(8, false)]
    [InlineData(9, false)]
    [InlineData(10, true)]
    [InlineData(11, true)]
    public void TheLoaderPicksThePrecompiledEngineFromNet10On(int runtimeMajor, bool precompiled)
    {
        var chosen = EngineSelector.PrecompiledEngine(RepositoryLayout.ModuleDirectory, runtimeMajor, _ => false);

        Assert.Equal(precompiled ? Precompiled : null, chosen);
    }

    [Fact]
    public void TheLoaderLeavesTheChoiceToPwshWhenAnEngineIsLoadedOrTheFileIsMissing()
    {
        Assert.Null(EngineSelector.PrecompiledEngine(RepositoryLayout.ModuleDirectory, 10, name => name == "UsernsTools.Core"));
        Assert.Null(EngineSelector.PrecompiledEngine(Path.Combine(RepositoryLayout.ModuleDirectory, "en-US"), 10, _ => false));
        Assert.Null(EngineSelector.PrecompiledEngine("", 10, _ => false));
    }

    private static string? TargetFramework(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind == HandleKind.MemberReference
                && reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent is { Kind: HandleKind.TypeReference } parent
                && reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Name) == nameof(TargetFrameworkAttribute))
            {
                var blob = reader.GetBlobReader(attribute.Value);
                _ = blob.ReadUInt16();
                return blob.ReadSerializedString();
            }
        }

        return null;
    }
}
