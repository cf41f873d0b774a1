using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace UsernsTools.Facts;

/// <summary>
/// Decodes the security.capability extended attribute (struct vfs_cap_data / vfs_ns_cap_data) into the
/// text getcap prints, e.g. <c>cap_setuid=ep</c>.
/// </summary>
internal static class FileCapabilityText
{
    public const string AttributeName = "security.capability";

    private const uint RevisionMask = 0xFF000000;
    private const uint Revision1 = 0x01000000;
    private const uint Revision2 = 0x02000000;
    private const uint Revision3 = 0x03000000;
    private const uint FlagEffective = 0x000001;

    /// <summary>Capability numbers to names, as in linux/capability.h.</summary>
    private static readonly string[] s_names =
    {
        "cap_chown", "cap_dac_override", "cap_dac_read_search", "cap_fowner", "cap_fsetid", "cap_kill",
        "cap_setgid", "cap_setuid", "cap_setpcap", "cap_linux_immutable", "cap_net_bind_service",
        "cap_net_broadcast", "cap_net_admin", "cap_net_raw", "cap_ipc_lock", "cap_ipc_owner", "cap_sys_module",
        "cap_sys_rawio", "cap_sys_chroot", "cap_sys_ptrace", "cap_sys_pacct", "cap_sys_admin", "cap_sys_boot",
        "cap_sys_nice", "cap_sys_resource", "cap_sys_time", "cap_sys_tty_config", "cap_mknod", "cap_lease",
        "cap_audit_write", "cap_audit_control", "cap_setfcap", "cap_mac_override", "cap_mac_admin", "cap_syslog",
        "cap_wake_alarm", "cap_block_suspend", "cap_audit_read", "cap_perfmon", "cap_bpf", "cap_checkpoint_restore",
    };

    /// <summary>
    /// The capabilities as text, grouped by identical flags like libcap does (<c>cap_setgid,cap_setuid=ep</c>);
    /// a v3 attribute bound to a namespace root other than 0 gets <c>[rootid=N]</c>. Null when the value is not
    /// a capability set; an empty string when it grants nothing.
    /// </summary>
    public static string? Decode(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4)
        {
            return null;
        }

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(value);
        var words = (magic & RevisionMask) switch
        {
            Revision1 when value.Length >= 12 => 1,
            Revision2 when value.Length >= 20 => 2,
            Revision3 when value.Length >= 24 => 2,
            _ => 0,
        };
        if (words == 0)
        {
            return null;
        }

        ulong permitted = 0;
        ulong inheritable = 0;
        for (var i = 0; i < words; i++)
        {
            permitted |= (ulong)BinaryPrimitives.ReadUInt32LittleEndian(value[(4 + (i * 8))..]) << (32 * i);
            inheritable |= (ulong)BinaryPrimitives.ReadUInt32LittleEndian(value[(8 + (i * 8))..]) << (32 * i);
        }

        var effective = (magic & FlagEffective) != 0;
        var text = Format(permitted, inheritable, effective);
        if ((magic & RevisionMask) == Revision3)
        {
            var rootId = BinaryPrimitives.ReadUInt32LittleEndian(value[20..]);
            if (rootId != 0)
            {
                text += $" [rootid={rootId.ToString(CultureInfo.InvariantCulture)}]";
            }
        }

        return text;
    }

    private static string Format(ulong permitted, ulong inheritable, bool effective)
    {
        // The file's effective bit is one flag: every permitted or inheritable capability becomes effective.
        var groups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        for (var bit = 0; bit < 64; bit++)
        {
            var p = (permitted & (1UL << bit)) != 0;
            var i = (inheritable & (1UL << bit)) != 0;
            if (!p && !i)
            {
                continue;
            }

            var flags = (effective ? "e" : "") + (i ? "i" : "") + (p ? "p" : "");
            if (!groups.TryGetValue(flags, out var names))
            {
                names = new List<string>();
                groups[flags] = names;
            }

            names.Add(bit < s_names.Length ? s_names[bit] : "cap_" + bit.ToString(CultureInfo.InvariantCulture));
        }

        var builder = new StringBuilder();
        foreach (var (flags, names) in groups)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(string.Join(',', names)).Append('=').Append(flags);
        }

        return builder.ToString();
    }
}
