using UsernsTools.Facts;

namespace UsernsTools.Diagnosis;

/// <summary>
/// The diagnosed machine's distribution, from os-release ID and ID_LIKE, and the wording that differs between
/// distributions (package manager, package names, boot loader commands).
/// </summary>
internal sealed class Distribution
{
    private Distribution(OsFamily family, string? id, string? versionId, string name)
    {
        Family = family;
        Id = id;
        VersionId = versionId;
        Name = name;
    }

    public OsFamily Family { get; }

    public string? Id { get; }

    public string? VersionId { get; }

    /// <summary>PRETTY_NAME, or the ID when there is none.</summary>
    public string Name { get; }

    /// <summary>Major version from VERSION_ID (7 for 7.9, 24 for 24.04); null when absent (Arch is rolling).</summary>
    public int? MajorVersion
    {
        get
        {
            if (string.IsNullOrEmpty(VersionId))
            {
                return null;
            }

            var end = 0;
            while (end < VersionId.Length && char.IsAsciiDigit(VersionId[end]))
            {
                end++;
            }

            return end > 0 && int.TryParse(VersionId.AsSpan(0, end), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var major) ? major : null;
        }
    }

    public bool IsDebianLike => Family is OsFamily.Debian or OsFamily.Ubuntu;

    public bool IsRedHatLike => Family is OsFamily.Rhel or OsFamily.Fedora;

    public static Distribution From(KernelFacts kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var id = kernel.OsId?.Trim().ToLowerInvariant();
        var family = FamilyOf(id);
        if (family == OsFamily.Other && !string.IsNullOrWhiteSpace(kernel.OsIdLike))
        {
            // ID_LIKE lists the closest relative first (e.g. "rhel centos fedora" on Rocky).
            foreach (var like in kernel.OsIdLike.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                family = FamilyOf(like.ToLowerInvariant());
                if (family != OsFamily.Other)
                {
                    break;
                }
            }
        }

        var name = !string.IsNullOrWhiteSpace(kernel.OsPrettyName) ? kernel.OsPrettyName! : id ?? "this distribution";
        return new Distribution(family, id, kernel.OsVersionId, name);
    }

    private static OsFamily FamilyOf(string? id) => id switch
    {
        "debian" or "raspbian" => OsFamily.Debian,
        "ubuntu" or "pop" or "linuxmint" or "neon" => OsFamily.Ubuntu,
        "rhel" or "centos" or "rocky" or "almalinux" or "ol" or "scientific" => OsFamily.Rhel,
        "fedora" => OsFamily.Fedora,
        "arch" or "manjaro" or "endeavouros" => OsFamily.Arch,
        "suse" or "opensuse" or "opensuse-leap" or "opensuse-tumbleweed" or "sles" => OsFamily.Suse,
        "altlinux" or "alt" => OsFamily.Alt,
        _ => OsFamily.Other,
    };

    /// <summary>The command that installs a package, e.g. <c>apt-get install util-linux</c>.</summary>
    public string Install(string debian, string redHat, string arch, string? other = null) => Family switch
    {
        OsFamily.Debian or OsFamily.Ubuntu => $"apt-get install {debian}",
        OsFamily.Rhel when MajorVersion is <= 7 => $"yum install {redHat}",
        OsFamily.Rhel or OsFamily.Fedora => $"dnf install {redHat}",
        OsFamily.Arch => $"pacman -S {arch}",
        OsFamily.Suse => $"zypper install {other ?? redHat}",
        _ => $"install the package that provides it ({other ?? debian} on most distributions)",
    };

    /// <summary>The command that puts a package's files back as the package ships them.</summary>
    public string Reinstall(string package) => Family switch
    {
        OsFamily.Debian or OsFamily.Ubuntu => $"apt-get install --reinstall {package}",
        OsFamily.Rhel when MajorVersion is <= 7 => $"yum reinstall {package}",
        OsFamily.Rhel or OsFamily.Fedora => $"dnf reinstall {package}",
        OsFamily.Arch => $"pacman -S {package}",
        OsFamily.Suse => $"zypper install --force {package}",
        _ => $"reinstall the distribution's {package} package",
    };

    /// <summary>
    /// RHEL/CentOS 7's bubblewrap package installs bwrap setuid root itself (its kernels shipped user namespaces off),
    /// so a reinstall restores the setuid bit rather than removing it.
    /// </summary>
    public bool PackageShipsSetuidBwrap => Family == OsFamily.Rhel && MajorVersion is <= 7;

    /// <summary>How to add a kernel boot option permanently on this distribution.</summary>
    public string AddBootOption(string option) => Family switch
    {
        OsFamily.Rhel or OsFamily.Fedora => $"`grubby --update-kernel=ALL --args=\"{option}\"`, then reboot",
        OsFamily.Debian or OsFamily.Ubuntu => $"add `{option}` to GRUB_CMDLINE_LINUX in /etc/default/grub, run `update-grub`, then reboot",
        OsFamily.Arch => $"add `{option}` to GRUB_CMDLINE_LINUX in /etc/default/grub, run `grub-mkconfig -o /boot/grub/grub.cfg`, then reboot",
        _ => $"add `{option}` to the kernel command line in the boot loader configuration, then reboot",
    };
}
