using System.Text.RegularExpressions;
using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>What PowerShell users rely on from every cmdlet, read from the built assembly's attributes.</summary>
public class CmdletContractTests
{
    /// <summary>
    /// The pipelines of DESIGN.md that exist so far: (cmdlet, type of the objects piped into it). Each must bind
    /// by property name without Select-Object. A cmdlet with a ValueFromPipelineByPropertyName parameter must be here.
    /// </summary>
    private static readonly (string Cmdlet, string SourceType)[] s_pipelines =
    {
        ("Get-ProcessNamespace", "System.Diagnostics.Process"),
        ("Get-SubordinateIdRange", "UsernsTools.Facts.UsernsSubject"),
        ("Get-SubordinateIdRange", "UsernsTools.Probes.UsernsProbeResult"),
        ("Test-UserNamespace", "UsernsTools.Facts.UsernsSubject"),
        ("Test-UserNamespace", "UsernsTools.Facts.SubordinateIdRange"),
        ("Test-BwrapUidMap", "UsernsTools.Facts.UsernsSubject"),
        ("Test-BwrapUidMap", "UsernsTools.Probes.Bwrap.BwrapProbeResult"),
        ("Set-UsernsSetting", "UsernsTools.Facts.UsernsSetting"),
        ("Set-UsernsSetting", "UsernsTools.Diagnosis.UsernsFinding"),
        ("Test-UsernsSetting", "UsernsTools.Facts.UsernsSetting"),
        ("Test-UsernsSetting", "UsernsTools.Diagnosis.UsernsFinding"),
        ("Enable-UnprivilegedUserns", "UsernsTools.Diagnosis.UsernsStatus"),
        ("Restore-UsernsConfiguration", "UsernsTools.Configuration.UsernsBackup"),
        ("Restore-UsernsConfiguration", "UsernsTools.Configuration.UsernsChange"),
        ("Get-UsernsSetting", "UsernsTools.Facts.UsernsSetting"),
        ("Get-UsernsStatus", "UsernsTools.Facts.UsernsSubject"),
        ("Get-UsernsStatus", "UsernsTools.Facts.SubordinateIdRange"),
        ("Get-UsernsStatus", "System.IO.FileInfo"),
        ("Get-UsernsDenial", "System.IO.FileInfo"),
        ("Get-UsernsDenial", "System.Management.Automation.PathInfo"),
        ("Get-UsernsBackup", "UsernsTools.Configuration.UsernsChange"),
        ("Get-UsernsBackup", "UsernsTools.Configuration.UsernsBackup"),
    };

    /// <summary>Properties PowerShell adds to objects of a type (the FileSystem provider's PSPath), which reflection cannot see.</summary>
    private static readonly Dictionary<string, string[]> s_adaptedProperties = new(StringComparer.Ordinal)
    {
        ["System.IO.FileInfo"] = new[] { "PSPath", "PSParentPath", "PSChildName", "PSDrive", "PSProvider" },
    };

    private static readonly string[] s_changingVerbs = { "Set", "Enable", "Disable", "Restore", "Invoke", "Remove", "New", "Clear", "Reset" };

    public static TheoryData<string> CmdletNames()
    {
        var data = new TheoryData<string>();
        foreach (var cmdlet in ModuleAssembly.Cmdlets)
        {
            data.Add(cmdlet.Name);
        }

        return data;
    }

    private static CmdletInfo Cmdlet(string name) => ModuleAssembly.Cmdlets.Single(c => c.Name == name);

    [Fact]
    public void TheModuleHasTheCmdletsOfTheFirstRelease()
    {
        var names = ModuleAssembly.Cmdlets.Select(c => c.Name).ToList();
        Assert.Subset(names.ToHashSet(), new HashSet<string> { "Get-UsernsStatus", "Get-UsernsSetting", "Test-UserNamespace", "Get-SubordinateIdRange", "Test-BwrapUidMap", "Get-UsernsDenial" });
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void VerbIsApproved(string name)
    {
        var cmdlet = Cmdlet(name);
        Assert.True(ModuleAssembly.ApprovedVerbs.Contains(cmdlet.Verb), $"{name}: '{cmdlet.Verb}' is not an approved verb (Get-Verb).");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void SourceNamesTheVerbThroughAVerbsConstant(string name)
    {
        var cmdlet = Cmdlet(name);
        var source = Path.Combine(RepositoryLayout.Root, "src", "UsernsTools", "Commands", cmdlet.Type.Name + ".cs");
        Assert.True(File.Exists(source), $"{name}: expected its own file {source}.");
        var match = Regex.Match(File.ReadAllText(source), @"\[Cmdlet\(\s*(?<verb>[^,]+),\s*""(?<noun>[^""]+)""");
        Assert.True(match.Success, $"{name}: no [Cmdlet(...)] in {source}.");
        Assert.Matches(@"^Verbs[A-Za-z]+\.[A-Za-z]+$", match.Groups["verb"].Value.Trim());
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void ClassIsNamedAfterTheCmdlet(string name)
    {
        var cmdlet = Cmdlet(name);
        Assert.Equal(cmdlet.Verb + cmdlet.Noun + "Command", cmdlet.Type.Name);
        Assert.True(cmdlet.Type.IsSealed, $"{name}: cmdlet classes are sealed.");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void DeclaresOutputType(string name)
    {
        Assert.NotEmpty(Cmdlet(name).OutputTypes);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void ParameterSetsAreConsistent(string name)
    {
        var cmdlet = Cmdlet(name);
        var sets = cmdlet.ParameterSetNames;
        if (sets.Count > 1 || (sets.Count == 1 && cmdlet.DefaultParameterSetName is not null))
        {
            Assert.True(cmdlet.DefaultParameterSetName is not null && sets.Contains(cmdlet.DefaultParameterSetName),
                $"{name}: DefaultParameterSetName '{cmdlet.DefaultParameterSetName}' must be one of {string.Join(", ", sets)}.");
        }

        foreach (var set in sets.DefaultIfEmpty(ParameterSetInfo.AllSets))
        {
            var positions = cmdlet.Parameters
                .SelectMany(p => p.Sets.Where(s => s.SetName == set || s.SetName == ParameterSetInfo.AllSets).Select(s => (p.Name, s.Position)))
                .Where(x => x.Position is not null)
                .ToList();
            var duplicates = positions.GroupBy(x => x.Position).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Name))}");
            Assert.True(!duplicates.Any(), $"{name}, set {set}: positions used twice: {string.Join("; ", duplicates)}");
            Assert.True(positions.Select(p => p.Position!.Value).Order().SequenceEqual(Enumerable.Range(0, positions.Count)),
                $"{name}, set {set}: positions should be 0..n-1 without gaps, got {string.Join(", ", positions.Select(p => p.Position))}.");
        }

        foreach (var parameter in cmdlet.Parameters)
        {
            Assert.True(parameter.Sets.Select(s => s.SetName).Distinct().Count() == parameter.Sets.Count, $"{name} -{parameter.Name}: two [Parameter] for one set.");
            Assert.False(parameter.IsSwitch && parameter.Sets.Any(s => s.Position is not null), $"{name} -{parameter.Name}: a switch has no position.");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void CmdletsThatChangeThingsSupportShouldProcess(string name)
    {
        var cmdlet = Cmdlet(name);
        if (s_changingVerbs.Contains(cmdlet.Verb))
        {
            Assert.True(cmdlet.SupportsShouldProcess, $"{name} changes the machine and must support -WhatIf/-Confirm.");
        }
        else
        {
            Assert.False(cmdlet.SupportsShouldProcess, $"{name} reads only; -WhatIf would promise a change it never makes.");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void PipelineParametersAreListedWithTheirSources(string name)
    {
        var cmdlet = Cmdlet(name);
        foreach (var parameter in cmdlet.Parameters.Where(p => p.ValueFromPipelineByPropertyName))
        {
            var bound = s_pipelines.Where(p => p.Cmdlet == name).Any(p => Binds(parameter, ModuleAssembly.SourceType(p.SourceType)));
            Assert.True(bound, $"{name} -{parameter.Name} takes pipeline input by property name but no source type in the table has that property.");
        }
    }

    [Fact]
    public void EveryListedPipelineBindsByPropertyName()
    {
        foreach (var (name, sourceTypeName) in s_pipelines)
        {
            var cmdlet = Cmdlet(name);
            var source = ModuleAssembly.SourceType(sourceTypeName);
            var byName = cmdlet.Parameters.Where(p => p.ValueFromPipelineByPropertyName).ToList();
            Assert.True(byName.Any(p => Binds(p, source)), $"{source.Name} | {name}: no parameter binds from a property of {source.Name}.");

            // The binder needs one parameter set in which something binds and every mandatory pipeline parameter binds.
            var sets = cmdlet.ParameterSetNames.Count == 0 ? new[] { ParameterSetInfo.AllSets } : cmdlet.ParameterSetNames.ToArray();
            var usable = sets.Where(set =>
            {
                var inSet = byName.Select(p => (Parameter: p, Set: p.Sets.FirstOrDefault(s => s.SetName == set || s.SetName == ParameterSetInfo.AllSets)))
                    .Where(x => x.Set is { ValueFromPipelineByPropertyName: true })
                    .ToList();
                return inSet.Any(x => Binds(x.Parameter, source)) && inSet.All(x => !x.Set!.Mandatory || Binds(x.Parameter, source));
            });
            Assert.True(usable.Any(), $"{source.Name} | {name}: no parameter set in which every mandatory pipeline parameter binds.");
        }
    }

    private static bool Binds(ParameterInfo parameter, Type source)
    {
        var properties = source.GetProperties().Select(p => p.Name)
            .Concat(s_adaptedProperties.GetValueOrDefault(source.FullName!, Array.Empty<string>()))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return properties.Contains(parameter.Name) || parameter.Aliases.Any(properties.Contains);
    }

    [Fact]
    public void ThePipelineTableCheckCatchesAMismatch()
    {
        // A guard for the guard: a parameter named after no property of the source must not count as bound.
        var cmdlet = Cmdlet("Test-UserNamespace");
        var user = cmdlet.Parameters.Single(p => p.Name == "User");
        Assert.True(Binds(user, ModuleAssembly.EngineType("UsernsTools.Facts.UsernsSubject")));
        Assert.False(Binds(user, ModuleAssembly.EngineType("UsernsTools.Facts.UsernsSetting")));
    }

    [Fact]
    public void ModuleInitializerRegistersTheNativeResolver()
    {
        var initializer = ModuleAssembly.Module.GetTypes()
            .SingleOrDefault(t => t.GetInterfaces().Any(i => i.FullName == "System.Management.Automation.IModuleAssemblyInitializer"));
        Assert.NotNull(initializer);
        Assert.Contains(initializer!.GetInterfaces(), i => i.FullName == "System.Management.Automation.IModuleAssemblyCleanup");
        Assert.NotNull(ModuleAssembly.Module.GetType("UsernsTools.Module.NativeLibraryResolver")?.GetMethod("Register"));
    }
}
