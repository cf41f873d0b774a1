using UsernsTools.Facts;
using Xunit;

namespace UsernsTools.Tests.Facts;

/// <summary>The full reading of profile files that remediation uses to find a profile already attached to a path.</summary>
public class AppArmorProfileDefinitionTests
{
    [Fact]
    public void ReadsNamedAttachmentsVariablesAndTheUsernsRule()
    {
        const string text = "abi <abi/4.0>,\ninclude <tunables/global>\n@{exec_path} = /usr/bin/podman /usr/local/bin/podman\n"
            + "profile podman @{exec_path} flags=(unconfined) {\n  userns,\n  include if exists <local/podman>\n}\n";

        var profile = Assert.Single(AppArmorProfileReader.Parse("/etc/apparmor.d/podman", text));

        Assert.Equal("podman", profile.Name);
        Assert.Equal(new[] { "/usr/bin/podman", "/usr/local/bin/podman" }, profile.Attachments);
        Assert.True(profile.GrantsUserns);
    }

    [Fact]
    public void ReadsPathNamedProfilesWithoutUserns()
    {
        var profile = Assert.Single(AppArmorProfileReader.Parse("/etc/apparmor.d/usr.bin.foo", "#include <tunables/global>\n/usr/bin/foo flags=(complain) {\n  /etc/** r,\n}\n"));

        Assert.Equal("/usr/bin/foo", profile.Name);
        Assert.Equal(new[] { "/usr/bin/foo" }, profile.Attachments);
        Assert.False(profile.GrantsUserns);
    }

    [Theory]
    [InlineData("/usr/bin/bwrap", "/usr/bin/bwrap", true)]
    [InlineData("/usr/bin/bwrap", "/usr/bin/bwrap2", false)]
    [InlineData("/usr/bin/*", "/usr/bin/bwrap", true)]
    [InlineData("/usr/*", "/usr/bin/bwrap", false)]
    [InlineData("/usr/**", "/usr/bin/bwrap", true)]
    [InlineData("/usr/{bin,sbin}/bwrap", "/usr/sbin/bwrap", true)]
    [InlineData("/opt/app-[0-9]/run", "/opt/app-7/run", true)]
    [InlineData("/usr/bin/bw?ap", "/usr/bin/bwrap", true)]
    public void MatchesAttachmentGlobs(string attachment, string path, bool matches)
    {
        Assert.Equal(matches, AppArmorGlob.Matches(attachment, path));
    }

    [Fact]
    public void SkipsDisabledProfiles()
    {
        using var root = new TestRoot()
            .WithFile("/etc/apparmor.d/bwrap", "profile bwrap /usr/bin/bwrap {\n}\n")
            .WithFile("/etc/apparmor.d/disable/bwrap", "");

        Assert.Empty(AppArmorProfileReader.ReadAll(root.Path));
    }
}
