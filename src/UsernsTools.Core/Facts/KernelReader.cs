using UsernsTools.Platform;

namespace UsernsTools.Facts;

/// <summary>Kernel release and version from /proc/sys/kernel, the distribution from os-release, and the host name.</summary>
internal static class KernelReader
{
    public static KernelFacts Read(string root)
    {
        var osRelease = RootedPath.ReadText(root, OsRelease.EtcPath) ?? RootedPath.ReadText(root, OsRelease.UsrLibPath);
        var fields = osRelease is null ? new Dictionary<string, string>() : OsRelease.Parse(osRelease);
        return new KernelFacts
        {
            Release = RootedPath.ReadValue(root, "/proc/sys/kernel/osrelease"),
            Version = RootedPath.ReadValue(root, "/proc/sys/kernel/version"),
            OsId = fields.GetValueOrDefault("ID"),
            OsVersionId = fields.GetValueOrDefault("VERSION_ID"),
            OsIdLike = fields.GetValueOrDefault("ID_LIKE"),
            OsPrettyName = fields.GetValueOrDefault("PRETTY_NAME"),
        };
    }

    /// <summary>The UTS host name the kernel reports, else /etc/hostname (an image has no /proc), else the runtime's idea.</summary>
    public static string ReadHostname(string root)
    {
        var name = RootedPath.ReadValue(root, "/proc/sys/kernel/hostname");
        if (string.IsNullOrEmpty(name))
        {
            name = RootedPath.ReadText(root, "/etc/hostname")?
                .Split('\n')
                .Select(l => l.Trim())
                .FirstOrDefault(l => l.Length > 0 && l[0] != '#');
        }

        if (string.IsNullOrEmpty(name) && MachineRoot.IsLive(root))
        {
            name = Environment.MachineName;
        }

        return name ?? "";
    }
}
