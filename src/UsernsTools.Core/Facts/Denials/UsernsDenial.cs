using System.Text.Json.Serialization;

namespace UsernsTools.Facts.Denials;

/// <summary>One AppArmor, SELinux or seccomp log line about user namespaces, parsed, with what it means.</summary>
public sealed class UsernsDenial
{
    /// <summary>When the event happened: the audit stamp when the line has one, else the log's own time; null when unknown.</summary>
    [JsonInclude] public DateTimeOffset? Time { get; internal init; }

    [JsonInclude] public DenialSource Source { get; internal init; }

    [JsonInclude] public DenialKind Kind { get; internal init; }

    /// <summary>AppArmor's <c>apparmor=</c> value (DENIED, AUDIT, ALLOWED), SELinux's denied/granted, or seccomp's <c>code=</c>.</summary>
    [JsonInclude] public string Decision { get; internal init; } = "";

    /// <summary>AppArmor operation (userns_create, capable, open), SELinux permissions (create), or the seccomp syscall name.</summary>
    [JsonInclude] public string? Operation { get; internal init; }

    /// <summary>AppArmor profile, SELinux source context, or the seccomp line's subj label.</summary>
    [JsonInclude] public string? Profile { get; internal init; }

    /// <summary>AppArmor target profile or SELinux target context.</summary>
    [JsonInclude] public string? Target { get; internal init; }

    /// <summary>AppArmor class or SELinux tclass.</summary>
    [JsonInclude] public string? Class { get; internal init; }

    /// <summary>The capability asked for (capname), e.g. sys_admin.</summary>
    [JsonInclude] public string? Capability { get; internal init; }

    /// <summary>The file named in the event, e.g. /proc/1234/uid_map.</summary>
    [JsonInclude] public string? Name { get; internal init; }

    /// <summary>AppArmor's info text, e.g. <c>User namespace creation restricted</c>.</summary>
    [JsonInclude] public string? Info { get; internal init; }

    /// <summary>The process name (comm).</summary>
    [JsonInclude] public string? ProcessName { get; internal init; }

    [JsonInclude] public int? Pid { get; internal init; }

    /// <summary>The executable (exe=), when logged.</summary>
    [JsonInclude] public string? Executable { get; internal init; }

    /// <summary>The seccomp syscall number.</summary>
    [JsonInclude] public int? Syscall { get; internal init; }

    /// <summary>The seccomp audit architecture, e.g. c000003e (x86_64).</summary>
    [JsonInclude] public string? Architecture { get; internal init; }

    /// <summary>The serial number of the audit stamp <c>audit(time:serial)</c>.</summary>
    [JsonInclude] public long? AuditSerial { get; internal init; }

    /// <summary>What the line means for user namespaces.</summary>
    [JsonInclude] public string Meaning { get; internal init; } = "";

    /// <summary>The line as read.</summary>
    [JsonInclude] public string RawLine { get; internal init; } = "";

    /// <summary>Where it was read: a file, <c>journalctl -k</c>, <c>/dev/kmsg</c> or <c>dmesg</c>.</summary>
    [JsonInclude] public string? Origin { get; internal init; }

    // Format-List, string interpolation and a deserialized copy (which keeps only this text once nesting is deeper than
    // the serialization depth) show this instead of the type name.
    public override string ToString() => ProcessName is null ? Kind.ToString() : $"{Kind} ({ProcessName})";
}
