using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Configuration;

/// <summary>What a change touches.</summary>
[JsonConverter(typeof(EnumNameConverter<ChangeKind>))]
public enum ChangeKind
{
    /// <summary>A value in /proc/sys of the running kernel.</summary>
    RuntimeSetting,

    /// <summary>One key in the UsernsTools drop-in under /etc/sysctl.d.</summary>
    SysctlDropIn,

    /// <summary>A profile file under /etc/apparmor.d.</summary>
    AppArmorProfile,

    /// <summary>Loading (or unloading) a profile into the running kernel with apparmor_parser.</summary>
    AppArmorLoad,

    /// <summary>A kernel command-line option; UsernsTools describes it but never edits the boot loader.</summary>
    BootOption,

    /// <summary>A file put back to the bytes, mode and owner recorded in a backup (or removed).</summary>
    FileRestore,
}
