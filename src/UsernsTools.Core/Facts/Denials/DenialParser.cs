using System.Globalization;

namespace UsernsTools.Facts.Denials;

/// <summary>
/// Parses one kernel-log or audit-log line into a <see cref="UsernsDenial"/> when it is an AppArmor, SELinux or
/// seccomp event about user namespaces; null otherwise. Accepts dmesg, /dev/kmsg, journal (ISO), syslog and
/// audit.log lines. Total: arbitrary or truncated text never throws.
/// </summary>
internal static class DenialParser
{
    private static readonly string[] s_months = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

    public static UsernsDenial? Parse(string? line, DenialParseContext? context = null, string? origin = null)
    {
        if (string.IsNullOrEmpty(line))
        {
            return null;
        }

        DenialSource source;
        if (line.Contains("apparmor=", StringComparison.Ordinal))
        {
            source = DenialSource.AppArmor;
        }
        else if (line.Contains("avc:", StringComparison.Ordinal))
        {
            source = DenialSource.Selinux;
        }
        else if (line.Contains("type=1326", StringComparison.Ordinal) || line.Contains("type=SECCOMP", StringComparison.Ordinal))
        {
            source = DenialSource.Seccomp;
        }
        else
        {
            return null;
        }

        var hasStamp = TryParseStamp(line, out var stampTime, out var serial, out var fieldsStart);
        var time = hasStamp ? stampTime : PrefixTime(line, context);
        var fields = AuditFieldReader.Read(line, fieldsStart);
        var parsed = source switch
        {
            DenialSource.AppArmor => ParseAppArmor(fields),
            DenialSource.Selinux => ParseSelinux(line, fields),
            _ => ParseSeccomp(fields),
        };

        if (parsed is null)
        {
            return null;
        }

        return new UsernsDenial
        {
            Time = time,
            Source = parsed.Source,
            Kind = parsed.Kind,
            Decision = parsed.Decision,
            Operation = parsed.Operation,
            Profile = parsed.Profile,
            Target = parsed.Target,
            Class = parsed.Class,
            Capability = parsed.Capability,
            Name = parsed.Name,
            Info = parsed.Info,
            ProcessName = parsed.ProcessName,
            Pid = parsed.Pid,
            Executable = parsed.Executable,
            Syscall = parsed.Syscall,
            Architecture = parsed.Architecture,
            AuditSerial = hasStamp ? serial : null,
            Meaning = DenialMeaning.Explain(parsed),
            RawLine = line,
            Origin = origin,
        };
    }

    private static UsernsDenial? ParseAppArmor(List<AuditField> fields)
    {
        var decision = AuditFieldReader.Get(fields, "apparmor") ?? "";
        var operation = AuditFieldReader.Get(fields, "operation");
        var profile = AuditFieldReader.Get(fields, "profile", untrusted: true);
        var target = AuditFieldReader.Get(fields, "target", untrusted: true);
        var cls = AuditFieldReader.Get(fields, "class");
        var name = AuditFieldReader.Get(fields, "name", untrusted: true);
        var info = AuditFieldReader.Get(fields, "info");
        var relevant = Mentions(operation, "userns") || Mentions(profile, "unprivileged_userns") || Mentions(target, "unprivileged_userns")
            || cls == "namespace" || IsMapFile(name) || Mentions(info, "userns") || Mentions(info, "namespace");
        if (!relevant)
        {
            return null;
        }

        var denied = decision == "DENIED";
        DenialKind kind;
        if (operation == "userns_create")
        {
            kind = denied
                ? Mentions(info, "restricted") ? DenialKind.AppArmorUsernsCreateRestricted : DenialKind.AppArmorUsernsCreateDenied
                : target is not null || Mentions(info, "transition") ? DenialKind.AppArmorUsernsTransition : DenialKind.AppArmorOther;
        }
        else if (operation == "capable" && denied)
        {
            kind = DenialKind.AppArmorCapabilityDenied;
        }
        else if (IsMapFile(name) && denied)
        {
            kind = DenialKind.AppArmorMapWriteDenied;
        }
        else
        {
            kind = DenialKind.AppArmorOther;
        }

        return new UsernsDenial
        {
            Source = DenialSource.AppArmor,
            Kind = kind,
            Decision = decision,
            Operation = operation,
            Profile = profile,
            Target = target,
            Class = cls,
            Capability = AuditFieldReader.Get(fields, "capname"),
            Name = name,
            Info = info,
            ProcessName = AuditFieldReader.Get(fields, "comm", untrusted: true),
            Pid = Int(AuditFieldReader.Get(fields, "pid")),

            // Ubuntu's userns_create events name the program as execpath=; audit records as exe=.
            Executable = AuditFieldReader.Get(fields, "exe", untrusted: true) ?? AuditFieldReader.Get(fields, "execpath", untrusted: true),
        };
    }

    private static UsernsDenial? ParseSelinux(string line, List<AuditField> fields)
    {
        var tclass = AuditFieldReader.Get(fields, "tclass");
        if (tclass is null || (tclass != "user_namespace" && !tclass.Contains("userns", StringComparison.Ordinal)))
        {
            return null;
        }

        var avc = line.IndexOf("avc:", StringComparison.Ordinal);
        var open = line.IndexOf('{', avc);
        var close = open < 0 ? -1 : line.IndexOf('}', open);
        var decisionText = open < 0 ? line[(avc + 4)..] : line[(avc + 4)..open];
        var permissions = open < 0 || close < 0 ? null : string.Join(' ', line[(open + 1)..close].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var isCapability = tclass != "user_namespace";
        return new UsernsDenial
        {
            Source = DenialSource.Selinux,
            Kind = isCapability ? DenialKind.SelinuxCapabilityDenied : DenialKind.SelinuxUserNamespaceDenied,
            Decision = decisionText.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "",
            Operation = string.IsNullOrEmpty(permissions) ? null : permissions,
            Profile = AuditFieldReader.Get(fields, "scontext"),
            Target = AuditFieldReader.Get(fields, "tcontext"),
            Class = tclass,
            Capability = isCapability && !string.IsNullOrEmpty(permissions) ? permissions : null,
            Name = AuditFieldReader.Get(fields, "name", untrusted: true),
            ProcessName = AuditFieldReader.Get(fields, "comm", untrusted: true),
            Pid = Int(AuditFieldReader.Get(fields, "pid")),
            Executable = AuditFieldReader.Get(fields, "exe", untrusted: true),
        };
    }

    private static UsernsDenial? ParseSeccomp(List<AuditField> fields)
    {
        var arch = AuditFieldReader.Get(fields, "arch");
        var syscall = Int(AuditFieldReader.Get(fields, "syscall"));
        var name = syscall is int number ? SeccompSyscalls.Name(arch, number) : null;
        if (name is null)
        {
            return null;
        }

        return new UsernsDenial
        {
            Source = DenialSource.Seccomp,
            Kind = name == "clone" ? DenialKind.SeccompClone : DenialKind.SeccompNamespaceSyscall,
            Decision = AuditFieldReader.Get(fields, "code") ?? "",
            Operation = name,
            Profile = AuditFieldReader.Get(fields, "subj"),
            ProcessName = AuditFieldReader.Get(fields, "comm", untrusted: true),
            Pid = Int(AuditFieldReader.Get(fields, "pid")),
            Executable = AuditFieldReader.Get(fields, "exe", untrusted: true),
            Syscall = syscall,
            Architecture = arch,
        };
    }

    /// <summary>Reads <c>audit(1700000000.123:456)</c>; <paramref name="end"/> is where the fields begin.</summary>
    internal static bool TryParseStamp(string line, out DateTimeOffset time, out long serial, out int end)
    {
        time = default;
        serial = 0;
        end = 0;
        var at = line.IndexOf("audit(", StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        var i = at + 6;
        var close = line.IndexOf(')', i);
        if (close < 0)
        {
            return false;
        }

        var stamp = line.AsSpan(i, close - i);
        var colon = stamp.IndexOf(':');
        var dot = stamp.IndexOf('.');
        if (colon < 0 || dot < 0 || dot > colon)
        {
            return false;
        }

        if (!long.TryParse(stamp[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || !int.TryParse(stamp[(dot + 1)..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var millis)
            || dot + 1 == colon || colon - dot - 1 > 3
            || !long.TryParse(stamp[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out serial))
        {
            return false;
        }

        // The kernel always prints three digits of milliseconds; scale shorter ones so truncated input stays sane.
        for (var digits = colon - dot - 1; digits < 3; digits++)
        {
            millis *= 10;
        }

        const long MaxSeconds = 253402300799;
        if (seconds > MaxSeconds)
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeMilliseconds(seconds * 1000 + millis);
        end = close + 1;
        return true;
    }

    /// <summary>The time written before the message by dmesg, /dev/kmsg, the journal (ISO) or syslog; null when none.</summary>
    internal static DateTimeOffset? PrefixTime(string line, DenialParseContext? context)
    {
        if (line.Length == 0)
        {
            return null;
        }

        if (line[0] == '[')
        {
            var close = line.IndexOf(']', StringComparison.Ordinal);
            return close > 1 && context?.BootTime is DateTimeOffset boot
                && double.TryParse(line.AsSpan(1, close - 1).Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
                && seconds < 1e10
                ? boot.AddTicks((long)(seconds * TimeSpan.TicksPerSecond))
                : null;
        }

        if (char.IsAsciiDigit(line[0]))
        {
            return KmsgTime(line, context) ?? IsoTime(line);
        }

        return SyslogTime(line, context);
    }

    private static DateTimeOffset? KmsgTime(string line, DenialParseContext? context)
    {
        // PRIORITY,SEQUENCE,MICROSECONDS,FLAGS;MESSAGE
        var semicolon = line.IndexOf(';', StringComparison.Ordinal);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (semicolon < 0 || (space >= 0 && space < semicolon))
        {
            return null;
        }

        var parts = line[..semicolon].Split(',');
        if (parts.Length < 3 || context?.BootTime is not DateTimeOffset boot
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var micros) || micros > 315_360_000_000_000)
        {
            return null;
        }

        return boot.AddTicks(micros * 10);
    }

    private static DateTimeOffset? IsoTime(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var token = space < 0 ? line : line[..space];
        if (token.Length < 19 || token[4] != '-' || token[10] != 'T')
        {
            return null;
        }

        // util-linux dmesg writes a decimal comma; journalctl writes +0000 as well as +00:00.
        token = token.Replace(',', '.');
        if (token.Length > 5 && token[^5] is '+' or '-' && token[^4..].All(char.IsAsciiDigit))
        {
            token = token[..^2] + ":" + token[^2..];
        }

        return DateTimeOffset.TryParse(token, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
    }

    private static DateTimeOffset? SyslogTime(string line, DenialParseContext? context)
    {
        // "Nov 22 08:00:00 host kernel: ..."
        if (line.Length < 15 || line[3] != ' ' || line[6] != ' ' || line[9] != ':' || line[12] != ':')
        {
            return null;
        }

        var month = Array.IndexOf(s_months, line[..3]) + 1;
        if (month == 0
            || !int.TryParse(line.AsSpan(4, 2).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || !int.TryParse(line.AsSpan(7, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hour)
            || !int.TryParse(line.AsSpan(10, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minute)
            || !int.TryParse(line.AsSpan(13, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var second))
        {
            return null;
        }

        var year = context?.Year ?? DateTime.UtcNow.Year;
        if (day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return null;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        var zone = context?.Zone ?? TimeZoneInfo.Local;
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static bool IsMapFile(string? name)
        => name is not null && (name.EndsWith("/uid_map", StringComparison.Ordinal) || name.EndsWith("/gid_map", StringComparison.Ordinal) || name.EndsWith("/setgroups", StringComparison.Ordinal));

    private static bool Mentions(string? value, string what) => value is not null && value.Contains(what, StringComparison.OrdinalIgnoreCase);

    private static int? Int(string? value) => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
}
