namespace UsernsTools.Facts.Denials;

/// <summary>The namespace syscalls (clone, unshare, setns, clone3) by audit architecture, to tell which seccomp events concern user namespaces.</summary>
internal static class SeccompSyscalls
{
    // Audit architecture (AUDIT_ARCH_*) -> (clone, unshare, setns); clone3 is 435 everywhere.
    private static readonly Dictionary<string, (int Clone, int Unshare, int Setns)> s_byArch = new(StringComparer.OrdinalIgnoreCase)
    {
        ["c000003e"] = (56, 272, 308),   // x86_64
        ["40000003"] = (120, 310, 346),  // i386
        ["c00000b7"] = (220, 97, 268),   // aarch64
        ["c00000f3"] = (220, 97, 268),   // riscv64
        ["40000028"] = (120, 337, 375),  // arm
        ["c0000015"] = (120, 282, 350),  // ppc64le
        ["80000016"] = (120, 303, 339),  // s390x
    };

    public const int Clone3 = 435;

    /// <summary>The syscall's name when it is one of the namespace syscalls on that architecture, else null.</summary>
    public static string? Name(string? arch, int syscall)
    {
        if (syscall == Clone3 && arch is not null && s_byArch.ContainsKey(arch))
        {
            return "clone3";
        }

        if (arch is null || !s_byArch.TryGetValue(arch, out var numbers))
        {
            return null;
        }

        return syscall == numbers.Clone ? "clone" : syscall == numbers.Unshare ? "unshare" : syscall == numbers.Setns ? "setns" : null;
    }

    /// <summary>The number of a namespace syscall on an architecture, or null.</summary>
    public static int? Number(string arch, string name)
    {
        if (!s_byArch.TryGetValue(arch, out var numbers))
        {
            return null;
        }

        return name switch
        {
            "clone" => numbers.Clone,
            "unshare" => numbers.Unshare,
            "setns" => numbers.Setns,
            "clone3" => Clone3,
            _ => null,
        };
    }

    public static IReadOnlyCollection<string> Architectures => s_byArch.Keys;
}
