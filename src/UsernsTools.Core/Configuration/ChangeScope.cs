using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Configuration;

/// <summary>Where a change takes effect: the running kernel, the configuration applied at boot, or both.</summary>
[Flags]
[JsonConverter(typeof(EnumNameConverter<ChangeScope>))]
public enum ChangeScope
{
    None = 0,

    /// <summary>The running kernel (/proc/sys, a loaded AppArmor profile); lost at reboot.</summary>
    Runtime = 1,

    /// <summary>Files read at boot (/etc/sysctl.d, /etc/apparmor.d, the kernel command line).</summary>
    Persistent = 2,
}
