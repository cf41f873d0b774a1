using System.Text.Json.Serialization;
using UsernsTools.Serialization;

namespace UsernsTools.Facts.Denials;

/// <summary>What a kernel or audit log line about user namespaces says (KNOWLEDGE.md section 4).</summary>
[JsonConverter(typeof(EnumNameConverter<DenialKind>))]
public enum DenialKind
{
    /// <summary><c>apparmor="AUDIT" operation="userns_create" ... target="unprivileged_userns"</c>: allowed, but moved into a profile without capabilities.</summary>
    AppArmorUsernsTransition,

    /// <summary><c>apparmor="DENIED" operation="userns_create" info="User namespace creation restricted"</c>: creation blocked.</summary>
    AppArmorUsernsCreateRestricted,

    /// <summary><c>apparmor="DENIED" operation="userns_create" profile="/usr/bin/X"</c>: X's profile lacks <c>userns,</c>.</summary>
    AppArmorUsernsCreateDenied,

    /// <summary><c>apparmor="DENIED" operation="capable" profile="unprivileged_userns" capname="sys_admin"</c>.</summary>
    AppArmorCapabilityDenied,

    /// <summary><c>apparmor="DENIED" operation="open" name=".../uid_map"</c> (or gid_map, setgroups): why bwrap's uid map fails.</summary>
    AppArmorMapWriteDenied,

    /// <summary>Another AppArmor event of or about user namespaces.</summary>
    AppArmorOther,

    /// <summary><c>avc: denied { create } ... tclass=user_namespace</c>.</summary>
    SelinuxUserNamespaceDenied,

    /// <summary><c>avc: denied { ... } ... tclass=cap_userns</c> (or cap2_userns): a capability inside a user namespace.</summary>
    SelinuxCapabilityDenied,

    /// <summary>A seccomp event for unshare, clone3 or setns.</summary>
    SeccompNamespaceSyscall,

    /// <summary>A seccomp event for clone, which may have asked for new namespaces (the flags are not logged).</summary>
    SeccompClone,
}
