using UsernsTools.Configuration;
using Xunit;

namespace UsernsTools.Tests.Configuration;

public class DisableTests
{
    private const string Max = "user.max_user_namespaces";

    [Fact]
    public async Task DisableSetsTheLimitToZeroAndWarnsWhatStops()
    {
        using var root = new TestRoot().WithProc(Max, "63000");
        var warnings = new List<string>();
        var warnedBeforeAsking = false;

        var result = await Remediation.DisableAsync(new DisableRequest(), root.Context(), c => warnedBeforeAsking = warnings.Count > 0, warnings.Add);

        Assert.True(warnedBeforeAsking);
        Assert.Contains(warnings, w => w.Contains("Podman", StringComparison.Ordinal) && w.Contains("Flatpak", StringComparison.Ordinal));
        Assert.Equal("0", root.Proc(Max));
        Assert.Equal("0", SysctlDropIn.ValueOf(root.Text("/etc/sysctl.d/99-zz-usernstools.conf"), Max));
        Assert.Equal(2, result.Changes.Count(c => c.Status == ChangeStatus.Applied));
    }

    [Fact]
    public async Task DisablingWhatIsAlreadyDisabledNeitherWritesNorWarns()
    {
        using var root = new TestRoot().WithProc(Max, "0").WithFile("/etc/sysctl.d/99-zz-usernstools.conf", "user.max_user_namespaces = 0\n");
        var before = root.Tree();
        var warnings = new List<string>();

        var result = await Remediation.DisableAsync(new DisableRequest(), root.Context(), warn: warnings.Add);

        Assert.Empty(warnings);
        Assert.All(result.Changes, c => Assert.Equal(ChangeStatus.AlreadyInDesiredState, c.Status));
        Assert.Equal(before, root.Tree());
    }
}
