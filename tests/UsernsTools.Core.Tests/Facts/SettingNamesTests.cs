using UsernsTools.Facts;
using Xunit;

namespace UsernsTools.Tests.Facts;

public class SettingNamesTests
{
    [Fact]
    public void NamesAreDistinctSysctlSpellings()
    {
        Assert.Equal(SettingNames.All.Count, SettingNames.All.Distinct(StringComparer.Ordinal).Count());
        Assert.All(SettingNames.All, name => Assert.Matches(@"^[a-z_]+\.[a-z_]+$", name));
    }

    [Fact]
    public void EveryMainlineUserLimitIsSpelledAsThisKernelSpellsIt()
    {
        // The user.max_*_namespaces files exist on every kernel since 4.9 (time since 5.6): completion must offer those exact names.
        var names = SettingNames.All.Where(n => n.StartsWith("user.max_", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, names.Count);
        foreach (var name in names)
        {
            var file = "/proc/sys/" + name.Replace('.', '/');
            Assert.True(File.Exists(file), $"{name}: {file} does not exist on this kernel");
        }

        var onKernel = Directory.GetFiles("/proc/sys/user", "max_*_namespaces").Select(f => "user." + Path.GetFileName(f));
        Assert.Subset(names.ToHashSet(), onKernel.ToHashSet());
    }
}
