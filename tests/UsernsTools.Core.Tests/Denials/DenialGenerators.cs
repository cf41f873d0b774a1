using FsCheck;
using FsCheck.Fluent;
using UsernsTools.Facts.Denials;

namespace UsernsTools.Tests.Denials;

/// <summary>Denials as the kernel could log them, for round-trip properties.</summary>
internal static class DenialGenerators
{
    // Untrusted strings: spaces, quotes and non-ASCII make the kernel (and the formatter) switch to hex.
    private static readonly Gen<string> s_untrusted = Gen.OneOf(
        Gen.Elements("bwrap", "unshare", "Web Content", "steam", "/usr/bin/bwrap", "/opt/My App/app", "na\"me", "héllo", "", "AB", "x=y"),
        Gen.ArrayOf(Gen.Elements('a', 'b', 'Z', '0', ' ', '/', '"', 'é', '=', '-', '_', '.', '\t')).Select(c => new string(c)));

    private static readonly Gen<string?> s_optionalUntrusted = Gen.OneOf(Gen.Constant<string?>(null), s_untrusted.Select(s => (string?)s));

    private static readonly Gen<int?> s_pid = Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, int.MaxValue).Select(p => (int?)p));

    private static readonly Gen<(DateTimeOffset? Time, long? Serial)> s_stamp = Gen.OneOf(
        Gen.Constant<(DateTimeOffset?, long?)>((null, null)),
        from ms in Gen.Choose(946_684_800, 2_000_000_000).SelectMany(s => Gen.Choose(0, 999).Select(m => (long)s * 1000 + m))
        from serial in Gen.Choose(0, int.MaxValue)
        select ((DateTimeOffset?)DateTimeOffset.FromUnixTimeMilliseconds(ms), (long?)serial));

    private static Gen<string?> Optional(params string[] values)
        => Gen.Elements(values.Select(v => (string?)v).Append(null).ToArray());

    public static Gen<UsernsDenial> AppArmor { get; } =
        from stamp in s_stamp
        from decision in Gen.Elements("DENIED", "AUDIT", "ALLOWED")
        from operation in Gen.Elements("userns_create", "capable", "open", "mount")
        from otherProfile in s_untrusted
        from cls in Optional("namespace", "cap", "file")
        from info in Optional("User namespace creation restricted", "Userns create - transitioning profile", "User namespace creation restricted - failed to find unprivileged profile")
        from capability in Optional("sys_admin", "setgid", "setpcap", "net_admin")
        from name in Gen.OneOf(Optional("/proc/42/uid_map", "proc/42/gid_map", "/proc/42/setgroups"), s_optionalUntrusted)
        from target in Optional("unprivileged_userns")
        from comm in s_optionalUntrusted
        from exe in s_optionalUntrusted
        from pid in s_pid
        select new UsernsDenial
        {
            Time = stamp.Time,
            AuditSerial = stamp.Serial,
            Source = DenialSource.AppArmor,
            Decision = decision,
            Operation = operation,

            // Outside userns_create only the unprivileged_userns profile makes an event about user namespaces.
            Profile = operation == "userns_create" ? otherProfile : "unprivileged_userns",
            Class = cls,
            Info = info,
            Capability = capability,
            Name = name,
            Target = target,
            ProcessName = comm,
            Executable = exe,
            Pid = pid,
        };

    public static Gen<UsernsDenial> Selinux { get; } =
        from stamp in s_stamp
        from decision in Gen.Elements("denied", "granted")
        from tclass in Gen.Elements("user_namespace", "cap_userns", "cap2_userns")
        from permissions in Gen.Elements("create", "sys_admin", "setuid setgid")
        from scontext in Gen.Elements("unconfined_u:unconfined_r:user_t:s0-s0:c0.c1023", "user_u:user_r:user_t:s0", "system_u:system_r:container_t:s0:c1,c2")
        from tcontext in Gen.Elements("user_u:user_r:user_t:s0", "system_u:system_r:container_t:s0:c1,c2")
        from comm in s_optionalUntrusted
        from name in s_optionalUntrusted
        from exe in s_optionalUntrusted
        from pid in s_pid
        select new UsernsDenial
        {
            Time = stamp.Time,
            AuditSerial = stamp.Serial,
            Source = DenialSource.Selinux,
            Decision = decision,
            Operation = permissions,
            Profile = scontext,
            Target = tcontext,
            Class = tclass,
            Capability = tclass == "user_namespace" ? null : permissions,
            ProcessName = comm,
            Name = name,
            Executable = exe,
            Pid = pid,
        };

    public static Gen<UsernsDenial> Seccomp { get; } =
        from stamp in s_stamp
        from arch in Gen.Elements(SeccompSyscalls.Architectures.ToArray())
        from syscall in Gen.Elements("clone", "unshare", "setns", "clone3")
        from code in Gen.Elements("0x50001", "0x7ffc0000", "0x80000000", "0x0")
        from subj in Optional("unconfined", "docker-default")
        from comm in s_optionalUntrusted
        from exe in s_optionalUntrusted
        from pid in s_pid
        select new UsernsDenial
        {
            Time = stamp.Time,
            AuditSerial = stamp.Serial,
            Source = DenialSource.Seccomp,
            Decision = code,
            Operation = syscall,
            Profile = subj,
            ProcessName = comm,
            Executable = exe,
            Pid = pid,
            Syscall = SeccompSyscalls.Number(arch, syscall),
            Architecture = arch,
        };

    public static Gen<UsernsDenial> Any { get; } = Gen.OneOf(AppArmor, Selinux, Seccomp);

    /// <summary>Every parsed field, for comparing denials (RawLine and Origin say where a line came from, not what it said).</summary>
    public static string Describe(UsernsDenial? d) => d is null
        ? "(null)"
        : string.Join(" | ", d.Time?.ToUnixTimeMilliseconds(), d.AuditSerial, d.Source, d.Decision, d.Operation, d.Profile, d.Target, d.Class,
            d.Capability, d.Name, d.Info, d.ProcessName, d.Pid, d.Executable, d.Syscall, d.Architecture);
}
