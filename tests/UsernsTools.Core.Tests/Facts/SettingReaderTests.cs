using UsernsTools.Facts;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Facts;

public sealed class SettingReaderTests : IDisposable
{
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void CatalogCoversEverySettingOfTheKnowledgeBase()
    {
        var expected = new[]
        {
            "user.max_user_namespaces", "user.max_mnt_namespaces", "user.max_pid_namespaces", "user.max_net_namespaces",
            "user.max_ipc_namespaces", "user.max_uts_namespaces", "user.max_cgroup_namespaces", "user.max_time_namespaces",
            "kernel.unprivileged_userns_clone", "kernel.userns_restrict", "kernel.apparmor_restrict_unprivileged_userns",
            "kernel.apparmor_restrict_unprivileged_userns_complain", "kernel.apparmor_restrict_unprivileged_userns_force",
            "kernel.apparmor_restrict_unprivileged_unconfined", "user_namespace.enable",
        };
        Assert.Equal(expected.Order(), SettingCatalog.Names.Order());
        Assert.Equal("/sys/module/user_namespace/parameters/enable", SettingCatalog.Find("user_namespace.enable")!.Path);
        Assert.Equal("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", SettingCatalog.Find("kernel.apparmor_restrict_unprivileged_userns")!.Path);
    }

    [Fact]
    public void RuntimeAndPersistedValuesComeTogether()
    {
        _root.WithFile("/proc/sys/user/max_user_namespaces", "0\n")
             .WithFile("/etc/sysctl.d/60-stig.conf", "user.max_user_namespaces = 0\n")
             .WithFile("/usr/lib/sysctl.d/10-default.conf", "user.max_user_namespaces = 63000\n");
        var setting = Assert.Single(SettingReader.Read(_root.Path, new[] { "user.max_user_namespaces" }));
        Assert.True(setting.Present);
        Assert.Equal(("0", "0", "/etc/sysctl.d/60-stig.conf:1"), (setting.RuntimeValue, setting.PersistedValue, setting.PersistedSource));
        Assert.Equal("/usr/lib/sysctl.d/10-default.conf", Assert.Single(setting.Shadowed).File);
        Assert.Contains("root included", setting.Effect, StringComparison.Ordinal);
    }

    [Fact]
    public void AbsentSettingIsNotPresentAndSaysSo()
    {
        var setting = Assert.Single(SettingReader.Read(_root.Path, new[] { "kernel.unprivileged_userns_clone" }));
        Assert.False(setting.Present);
        Assert.Null(setting.RuntimeValue);
        Assert.Null(setting.PersistedValue);
        Assert.Contains("no unprivileged_userns_clone", setting.Effect, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kernel.unprivileged_userns_clone", "0", "CAP_SYS_ADMIN")]
    [InlineData("kernel.unprivileged_userns_clone", "1", "Unprivileged users may create")]
    [InlineData("kernel.apparmor_restrict_unprivileged_userns", "1", "unprivileged_userns AppArmor profile")]
    [InlineData("kernel.apparmor_restrict_unprivileged_userns", "0", "does not restrict")]
    [InlineData("user.max_user_namespaces", "15000", "Up to 15000 user namespaces")]
    [InlineData("user.max_net_namespaces", "0", "No net namespace")]
    [InlineData("kernel.userns_restrict", "1", "restricted")]
    [InlineData("user_namespace.enable", "N", "disabled at boot")]
    [InlineData("user_namespace.enable", "Y", "enabled")]
    [InlineData("user.max_user_namespaces", "lots", "Unexpected value")]
    public void EffectDescribesTheRuntimeValue(string name, string value, string expected)
    {
        _root.WithFile(SettingCatalog.Find(name)!.Path, value + "\n");
        var setting = Assert.Single(SettingReader.Read(_root.Path, new[] { name }));
        Assert.Equal(value, setting.RuntimeValue);
        Assert.Contains(expected, setting.Effect, StringComparison.Ordinal);
    }

    [Fact]
    public void Rhel7SwitchHasNoPersistedSysctlValue()
    {
        _root.WithFile("/sys/module/user_namespace/parameters/enable", "N\n")
             .WithFile("/etc/sysctl.d/1.conf", "user_namespace.enable = 1\n");
        var setting = Assert.Single(SettingReader.Read(_root.Path, new[] { "user_namespace.enable" }));
        Assert.Equal("N", setting.RuntimeValue);
        Assert.Null(setting.PersistedValue);
    }

    [Fact]
    public void NullOrEmptyNamesReadEverySettingInCatalogOrder()
    {
        Assert.Equal(SettingCatalog.Names, SettingReader.Read(_root.Path, null).Select(s => s.Name));
        Assert.Equal(SettingCatalog.Names, SettingReader.Read(_root.Path, Array.Empty<string>()).Select(s => s.Name));
    }

    [Fact]
    public void NamesAcceptSlashesCaseAndWildcards()
    {
        Assert.Equal("user.max_user_namespaces", Assert.Single(SettingReader.Read(_root.Path, new[] { "user/max_user_namespaces" })).Name);
        Assert.Equal("kernel.userns_restrict", Assert.Single(SettingReader.Read(_root.Path, new[] { "KERNEL.Userns_Restrict" })).Name);
        Assert.Equal(4, SettingReader.Read(_root.Path, new[] { "kernel.apparmor*" }).Count);
        Assert.Empty(SettingReader.Read(_root.Path, new[] { "nothing*" }));
    }

    [Fact]
    public void UnknownNameThrowsAndListsTheValidNames()
    {
        var ex = Assert.Throws<UsernsException>(() => SettingReader.Read(_root.Path, new[] { "user.max_user_namespaces", "kernel.bogus" }));
        Assert.Equal(("UnknownSetting", UsernsErrorCategory.InvalidArgument, (object?)"kernel.bogus"), (ex.ErrorId, ex.Category, ex.TargetValue));
        Assert.Contains("user.max_user_namespaces", ex.Message, StringComparison.Ordinal);
        Assert.Contains("user_namespace.enable", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OverlayShowsWhatAPlannedFileWouldPersist()
    {
        _root.WithFile("/etc/sysctl.d/60-off.conf", "kernel.unprivileged_userns_clone = 0\n");
        var overlay = new Dictionary<string, string?> { ["/etc/sysctl.d/99-usernstools.conf"] = "kernel.unprivileged_userns_clone = 1\n" };
        var setting = Assert.Single(SettingReader.Read(_root.Path, new[] { "kernel.unprivileged_userns_clone" }, overlay));
        Assert.Equal(("1", "/etc/sysctl.d/99-usernstools.conf:1"), (setting.PersistedValue, setting.PersistedSource));
    }
}
