using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace UsernsTools.Probes.Bwrap;

/// <summary>
/// Decodes the <c>security.capability</c> extended attribute (struct vfs_cap_data, revisions 2 and 3) into getcap's
/// notation, e.g. <c>cap_setgid,cap_setuid=ep</c>, and encodes it back (so the two can be checked against each other).
/// </summary>
internal static class FileCapabilityText
{
    private const uint RevisionMask = 0xFF000000;
    private const uint Revision2 = 0x02000000;
    private const uint Revision3 = 0x03000000;
    private const uint EffectiveFlag = 0x000001;

    private static readonly string[] s_names =
    {
        "chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap",
        "linux_immutable", "net_bind_service", "net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner",
        "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice",
        "sys_resource", "sys_time", "sys_tty_config", "mknod", "lease", "audit_write", "audit_control", "setfcap",
        "mac_override", "mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read", "perfmon", "bpf",
        "checkpoint_restore",
    };

    /// <summary>The attribute's capabilities in getcap's notation; null when the value is not a vfs_cap_data or grants nothing.</summary>
    public static string? Decode(ReadOnlySpan<byte> value)
    {
        if (value.Length < 12)
        {
            return null;
        }

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(value);
        var revision = magic & RevisionMask;
        if (revision is not (Revision2 or Revision3) || value.Length < 20)
        {
            return null;
        }

        var permitted = BinaryPrimitives.ReadUInt32LittleEndian(value[4..]) | (ulong)BinaryPrimitives.ReadUInt32LittleEndian(value[12..]) << 32;
        var inheritable = BinaryPrimitives.ReadUInt32LittleEndian(value[8..]) | (ulong)BinaryPrimitives.ReadUInt32LittleEndian(value[16..]) << 32;
        return Format(permitted, inheritable, (magic & EffectiveFlag) != 0);
    }

    /// <summary>getcap's notation for the masks: caps grouped by their flags, groups separated by spaces.</summary>
    public static string? Format(ulong permitted, ulong inheritable, bool effective)
    {
        var groups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        for (var bit = 0; bit < 64; bit++)
        {
            var mask = 1UL << bit;
            var flags = ((permitted & mask) != 0 && effective ? "e" : "") + ((inheritable & mask) != 0 ? "i" : "") + ((permitted & mask) != 0 ? "p" : "");
            if (flags.Length == 0)
            {
                continue;
            }

            if (!groups.TryGetValue(flags, out var list))
            {
                groups[flags] = list = new List<string>();
            }

            list.Add("cap_" + (bit < s_names.Length ? s_names[bit] : bit.ToString(CultureInfo.InvariantCulture)));
        }

        if (groups.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var (flags, caps) in groups)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(string.Join(',', caps)).Append('=').Append(flags);
        }

        return text.ToString();
    }

    /// <summary>The masks a <see cref="Format"/> text stands for; false when the text is not in that notation.</summary>
    public static bool TryParse(string? text, out ulong permitted, out ulong inheritable, out bool effective)
    {
        permitted = 0;
        inheritable = 0;
        effective = false;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        foreach (var group in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = group.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return false;
            }

            var flags = group[(eq + 1)..];
            if (flags.Length == 0 || flags.Any(c => c is not ('e' or 'i' or 'p')))
            {
                return false;
            }

            foreach (var cap in group[..eq].Split(','))
            {
                var bit = BitOf(cap);
                if (bit < 0)
                {
                    return false;
                }

                if (flags.Contains('p', StringComparison.Ordinal))
                {
                    permitted |= 1UL << bit;
                }

                if (flags.Contains('i', StringComparison.Ordinal))
                {
                    inheritable |= 1UL << bit;
                }

                effective |= flags.Contains('e', StringComparison.Ordinal);
            }
        }

        return true;
    }

    /// <summary>A revision 2 vfs_cap_data value for the masks.</summary>
    public static byte[] Encode(ulong permitted, ulong inheritable, bool effective)
    {
        var value = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(value, Revision2 | (effective ? EffectiveFlag : 0));
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(4), (uint)permitted);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(8), (uint)inheritable);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(12), (uint)(permitted >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(16), (uint)(inheritable >> 32));
        return value;
    }

    private static int BitOf(string cap)
    {
        if (!cap.StartsWith("cap_", StringComparison.Ordinal))
        {
            return -1;
        }

        var name = cap[4..];
        var index = Array.IndexOf(s_names, name);
        if (index >= 0)
        {
            return index;
        }

        return int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var bit) && bit is >= 0 and < 64 ? bit : -1;
    }
}
