using System.Globalization;
using System.Text;
using UsernsTools.Facts.Denials;

namespace UsernsTools.Tests;

/// <summary>
/// Writes a <see cref="UsernsDenial"/> as the kernel would log it, in the kernel-log or audit-log form, so that
/// <see cref="DenialParser"/> reads back the same denial: the property tests' way to make log lines.
/// </summary>
internal static class DenialFormatter
{
    public static string Format(UsernsDenial denial, DenialLineStyle style = DenialLineStyle.Kernel)
    {
        ArgumentNullException.ThrowIfNull(denial);
        var text = new StringBuilder(256);
        var (code, name) = denial.Source switch
        {
            DenialSource.Seccomp => ("1326", "SECCOMP"),
            _ => ("1400", "AVC"),
        };
        text.Append(style == DenialLineStyle.Kernel ? "audit: type=" + code : "type=" + name);
        if (denial.Time is DateTimeOffset time)
        {
            var ms = time.ToUnixTimeMilliseconds();
            text.Append(style == DenialLineStyle.Kernel ? " audit(" : " msg=audit(")
                .Append((ms / 1000).ToString(CultureInfo.InvariantCulture)).Append('.')
                .Append((ms % 1000).ToString("000", CultureInfo.InvariantCulture)).Append(':')
                .Append((denial.AuditSerial ?? 0).ToString(CultureInfo.InvariantCulture)).Append("):");
        }

        switch (denial.Source)
        {
            case DenialSource.AppArmor:
                Quoted(text, "apparmor", denial.Decision);
                Quoted(text, "operation", denial.Operation);
                Quoted(text, "class", denial.Class);
                Quoted(text, "info", denial.Info);
                Untrusted(text, "profile", denial.Profile);
                Untrusted(text, "name", denial.Name);
                Number(text, "pid", denial.Pid);
                Untrusted(text, "comm", denial.ProcessName);
                Untrusted(text, "exe", denial.Executable);
                Quoted(text, "capname", denial.Capability);
                Untrusted(text, "target", denial.Target);
                break;

            case DenialSource.Selinux:
                text.Append(" avc:  ").Append(denial.Decision).Append("  { ").Append(denial.Operation).Append(" } for ");
                Number(text, "pid", denial.Pid);
                Untrusted(text, "comm", denial.ProcessName);
                Untrusted(text, "name", denial.Name);
                Untrusted(text, "exe", denial.Executable);
                Bare(text, "scontext", denial.Profile);
                Bare(text, "tcontext", denial.Target);
                Bare(text, "tclass", denial.Class);
                text.Append(" permissive=0");
                break;

            default:
                text.Append(" auid=4294967295 uid=0 gid=0 ses=4294967295");
                Bare(text, "subj", denial.Profile);
                Number(text, "pid", denial.Pid);
                Untrusted(text, "comm", denial.ProcessName);
                Untrusted(text, "exe", denial.Executable);
                text.Append(" sig=0");
                Bare(text, "arch", denial.Architecture);
                Number(text, "syscall", denial.Syscall);
                text.Append(" compat=0 ip=0x0");
                Bare(text, "code", denial.Decision);
                break;
        }

        return text.ToString();
    }

    private static void Quoted(StringBuilder text, string key, string? value)
    {
        if (value is not null)
        {
            text.Append(' ').Append(key).Append("=\"").Append(value).Append('"');
        }
    }

    /// <summary>Untrusted strings go quoted, or as hex when they hold quotes, control or non-ASCII characters, as the kernel does.</summary>
    private static void Untrusted(StringBuilder text, string key, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (NeedsHex(value))
        {
            text.Append(' ').Append(key).Append('=').Append(Convert.ToHexString(Encoding.UTF8.GetBytes(value)));
        }
        else
        {
            Quoted(text, key, value);
        }
    }

    /// <summary>Whether the kernel would write <paramref name="value"/> as hex rather than quoted.</summary>
    private static bool NeedsHex(string value)
    {
        foreach (var c in value)
        {
            if (c < 0x20 || c > 0x7e || c == '"')
            {
                return true;
            }
        }

        return false;
    }

    private static void Bare(StringBuilder text, string key, string? value)
    {
        if (value is not null)
        {
            text.Append(' ').Append(key).Append('=').Append(value);
        }
    }

    private static void Number(StringBuilder text, string key, int? value)
    {
        if (value is int number)
        {
            text.Append(' ').Append(key).Append('=').Append(number.ToString(CultureInfo.InvariantCulture));
        }
    }
}
