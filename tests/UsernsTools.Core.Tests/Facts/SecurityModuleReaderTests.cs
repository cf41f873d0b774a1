using UsernsTools.Facts;
using Xunit;

namespace UsernsTools.Tests.Facts;

public sealed class SecurityModuleReaderTests : IDisposable
{
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void NothingPresentMeansUnknownAppArmorAndNoSelinux()
    {
        var facts = SecurityModuleReader.Read(_root.Path);
        Assert.Null(facts.AppArmorEnabled);
        Assert.False(facts.AppArmorMediatesUserns);
        Assert.False(facts.SelinuxPresent);
        Assert.Null(facts.SelinuxEnforcing);
        Assert.Empty(facts.AppArmorProfiles);
    }

    [Fact]
    public void ReadsUbuntu2404StyleAppArmor()
    {
        _root.WithFile("/sys/module/apparmor/parameters/enabled", "Y\n")
             .WithFile("/sys/kernel/security/apparmor/features/namespaces/userns_create", "pciu&\n")
             .WithFolder("/sys/kernel/security/apparmor/features/policy/unconfined_restrictions/userns")
             .WithFile("/etc/apparmor.d/podman", """
                # This profile allows everything and only exists to give the
                # application a name instead of having the label "unconfined"

                abi <abi/4.0>,
                include <tunables/global>

                profile podman /usr/bin/podman flags=(unconfined) {
                  userns,

                  # Site-specific additions and overrides. See local/README for details.
                  include if exists <local/podman>
                }
                """)
             .WithFile("/etc/apparmor.d/usr.bin.man", "#include <tunables/global>\n/usr/bin/man {\n  #include <abstractions/base>\n}\n")
             .WithFile("/etc/apparmor.d/abstractions/userns-thing", "userns,\n");
        var facts = SecurityModuleReader.Read(_root.Path);
        Assert.True(facts.AppArmorEnabled);
        Assert.True(facts.AppArmorMediatesUserns);
        Assert.True(facts.AppArmorUnconfinedRestrictsUserns);
        var profile = Assert.Single(facts.AppArmorProfiles);
        Assert.Equal(("podman", "/etc/apparmor.d/podman", "/usr/bin/podman", true), (profile.Name, profile.File, profile.Attachment, profile.GrantsUserns));
    }

    [Fact]
    public void ProfilesAttachedToSandboxToolsAreReportedEvenWithoutUserns()
    {
        _root.WithFile("/etc/apparmor.d/bwrap-userns-restrict", """
                abi <abi/4.0>,
                include <tunables/global>
                @{BWRAP}=/usr/bin/bwrap /usr/local/bin/bwrap
                profile bwrap @{BWRAP} flags=(attach_disconnected, mediate_deleted) {
                  allow capability,
                  # userns, is granted in the child profile only
                  deny userns,
                }
                """)
             .WithFile("/etc/apparmor.d/usr.bin.unshare", "\"/usr/bin/unshare\" flags=(complain) {\n  audit userns create,\n}\n");
        var profiles = AppArmorProfileReader.Read(_root.Path);
        Assert.Equal(2, profiles.Count);
        var bwrap = profiles[0];
        Assert.Equal(("bwrap", "/usr/bin/bwrap", false), (bwrap.Name, bwrap.Attachment, bwrap.GrantsUserns));
        var unshare = profiles[1];
        Assert.Equal(("/usr/bin/unshare", "/usr/bin/unshare", true), (unshare.Name, unshare.Attachment, unshare.GrantsUserns));
    }

    [Fact]
    public void DisabledAndPackageBackupProfilesAreSkipped()
    {
        const string Profile = "profile bwrap /usr/bin/bwrap flags=(unconfined) {\n  userns,\n}\n";
        _root.WithFile("/etc/apparmor.d/bwrap", Profile)
             .WithLink("/etc/apparmor.d/disable/bwrap", "../bwrap")
             .WithFile("/etc/apparmor.d/bwrap-old.dpkg-old", Profile)
             .WithFile("/etc/apparmor.d/.hidden", Profile)
             .WithFile("/etc/apparmor.d/chrome", "profile chrome /opt/google/chrome/chrome flags=(unconfined) {\n  userns,\n}\n");
        Assert.Equal("chrome", Assert.Single(AppArmorProfileReader.Read(_root.Path)).Name);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    public void ReadsSelinuxEnforcementAndUserNamespaceClass(string enforce, bool enforcing)
    {
        _root.WithFile("/sys/fs/selinux/enforce", enforce)
             .WithFolder("/sys/fs/selinux/class/user_namespace/perms");
        var facts = SecurityModuleReader.Read(_root.Path);
        Assert.True(facts.SelinuxPresent);
        Assert.Equal(enforcing, facts.SelinuxEnforcing);
        Assert.True(facts.SelinuxMediatesUserns);
    }

    [Fact]
    public void EmptySelinuxMountPointIsNotSelinux()
    {
        _root.WithFolder("/sys/fs/selinux");
        Assert.False(SecurityModuleReader.Read(_root.Path).SelinuxPresent);
    }
}
