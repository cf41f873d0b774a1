namespace UsernsTools.Probes.Bwrap;

/// <summary>
/// Recognises bubblewrap's error messages (KNOWLEDGE.md section 4) in every wording known across versions and
/// Debian's patched build. Pure and total: any text, however truncated, gives a classification and never throws.
/// </summary>
internal static class BwrapMessageClassifier
{
    private const string Prefix = "bwrap: ";

    /// <summary>One message family: the substrings that identify it (any of them), in the order they are tried.</summary>
    private sealed record Family(BwrapErrorKind Kind, ProbeStage Stage, Errno DefaultErrno, string[] Markers, string Explanation);

    // Order matters: the specific "Creating new namespace failed, likely ..." and ENOSPC wordings come before the
    // generic "Creating new namespace failed: <strerror>" that the errno decides.
    private static readonly Family[] s_families =
    {
        new(BwrapErrorKind.SetuidNotSupported, ProbeStage.Launch, Errno.None,
            new[] { "setuid use of bubblewrap is not supported" },
            "This bwrap is setuid but was built without setuid support (0.11.2 and later); it refuses to run. Remove the setuid bit: bwrap works unprivileged through user namespaces."),
        new(BwrapErrorKind.UnexpectedCapabilities, ProbeStage.Launch, Errno.None,
            new[] { "Unexpected capabilities but not setuid" },
            "This bwrap has file capabilities (an old file caps configuration); current bwrap refuses to run with them. Remove them with 'setcap -r' on the bwrap binary."),
        new(BwrapErrorKind.CapsetFailed, ProbeStage.Launch, Errno.EPERM,
            new[] { "capset failed" },
            "A privileged (setuid or file-capability) bwrap could not take its capabilities, typically inside a container whose bounding set lacks them."),
        new(BwrapErrorKind.KernelLacksUserNamespaces, ProbeStage.Create, Errno.EINVAL,
            new[] { "kernel does not support user namespaces" },
            "The kernel refused to create a user namespace with EINVAL: built without CONFIG_USER_NS, WSL1, the RHEL 7 user_namespace.enable switch off, or a multithreaded caller."),
        new(BwrapErrorKind.NoPermissionToCreateNamespace, ProbeStage.Create, Errno.EPERM,
            new[] { "No permissions to creat" },
            "Creating the user namespace failed with EPERM: kernel.unprivileged_userns_clone=0 (Debian, Arch hardened), kernel.userns_restrict=1 (ALT), a seccomp filter (containers), or a chroot."),
        new(BwrapErrorKind.NamespaceLimitExceeded, ProbeStage.Create, Errno.ENOSPC,
            new[] { "max_*_namespaces exceeded", "Creating new namespace failed: No space left on device", "Creating new namespace failed: Too many users" },
            "Creating the namespace failed with ENOSPC: user.max_user_namespaces (or another max_*_namespaces) is 0 or used up in this or a parent user namespace, or the nesting depth of 32 is reached."),
        new(BwrapErrorKind.CreateDeniedBySecurityModule, ProbeStage.Create, Errno.EACCES,
            new[] { "Creating new namespace failed: Permission denied" },
            "Creating the user namespace failed with EACCES: a security module denied it (an AppArmor profile without 'userns,', or SELinux user_namespace create)."),
        new(BwrapErrorKind.UidMapDenied, ProbeStage.Map, Errno.EACCES,
            new[] { "setting up uid map" },
            "The user namespace was created but writing its uid_map was refused. On Ubuntu 23.10+ this is the unprivileged_userns AppArmor profile (kernel.apparmor_restrict_unprivileged_userns=1); inside a container the outer namespace may not allow the mapping."),
        new(BwrapErrorKind.GidMapDenied, ProbeStage.Map, Errno.EACCES,
            new[] { "setting up gid map" },
            "The user namespace was created but writing its gid_map was refused (same causes as the uid map)."),
        new(BwrapErrorKind.SetgroupsDenied, ProbeStage.Map, Errno.EACCES,
            new[] { "error writing to setgroups" },
            "The user namespace was created but writing 'deny' to /proc/PID/setgroups was refused (same causes as the uid map)."),
        new(BwrapErrorKind.LoopbackSetupDenied, ProbeStage.Use, Errno.EPERM,
            new[] { "loopback: Failed RTM_NEWADDR", "loopback: Failed RTM_NEWLINK" },
            "Setting up loopback in the new network namespace was refused: the namespace has no CAP_NET_ADMIN (loopback is set up before the uid map, so the AppArmor unprivileged_userns profile shows here first). Harmless on gVisor, where loopback is pre-configured."),
        new(BwrapErrorKind.ProcMountDenied, ProbeStage.Use, Errno.EPERM,
            new[] { "Can't mount proc on" },
            "Mounting a new /proc was refused: inside a container /proc has masked paths (or no CAP_SYS_ADMIN), or a seccomp or AppArmor policy forbids mount."),
        new(BwrapErrorKind.MakeRootSlaveFailed, ProbeStage.Use, Errno.EPERM,
            new[] { "Failed to make / slave" },
            "Changing mount propagation inside the new mount namespace was refused: a container's seccomp or AppArmor policy, or a namespace without capabilities."),
        new(BwrapErrorKind.NoPermissionToCreateNamespace, ProbeStage.Create, Errno.EPERM,
            new[] { "Creating new namespace failed: Operation not permitted" },
            "Creating the namespace failed with EPERM: kernel.unprivileged_userns_clone=0, kernel.userns_restrict=1, a seccomp filter (containers), or a chroot."),
        new(BwrapErrorKind.KernelLacksUserNamespaces, ProbeStage.Create, Errno.EINVAL,
            new[] { "Creating new namespace failed: Invalid argument" },
            "The kernel refused to create the namespace with EINVAL: no CONFIG_USER_NS, WSL1, or the RHEL 7 switch off."),
    };

    /// <summary>Classifies a failed bwrap run from its standard error.</summary>
    public static BwrapClassification Classify(string? standardError)
    {
        var text = standardError ?? "";
        foreach (var family in s_families)
        {
            foreach (var marker in family.Markers)
            {
                var at = text.IndexOf(marker, StringComparison.Ordinal);
                if (at < 0)
                {
                    continue;
                }

                var line = LineAround(text, at);
                var errno = ErrnoOf(line) ?? family.DefaultErrno;
                if (family.Kind == BwrapErrorKind.NamespaceLimitExceeded && line.Contains("Too many users", StringComparison.Ordinal))
                {
                    errno = Errno.EUSERS;
                }

                return new BwrapClassification(family.Kind, errno, family.Stage, line, family.Explanation);
            }
        }

        var first = FirstBwrapLine(text);
        return new BwrapClassification(
            BwrapErrorKind.Unknown,
            first is null ? Errno.Unknown : ErrnoOf(first) ?? Errno.Unknown,
            ProbeStage.Use,
            first,
            "bwrap failed with a message UsernsTools does not recognise; read StandardError.");
    }

    /// <summary>The errno named by a trailing <c>: strerror</c>, or null.</summary>
    internal static Errno? ErrnoOf(string line)
    {
        foreach (var (message, errno) in StrerrorText.All)
        {
            if (line.EndsWith(message, StringComparison.Ordinal) || line.Contains(": " + message, StringComparison.Ordinal))
            {
                return errno;
            }
        }

        return null;
    }

    /// <summary>The line holding <paramref name="at"/>, without the <c>bwrap: </c> prefix.</summary>
    private static string LineAround(string text, int at)
    {
        var start = at == 0 ? 0 : text.LastIndexOf('\n', at - 1) + 1;
        var end = text.IndexOf('\n', at);
        var line = (end < 0 ? text[start..] : text[start..end]).TrimEnd('\r');
        return StripPrefix(line);
    }

    private static string? FirstBwrapLine(string text)
    {
        string? firstNonEmpty = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return StripPrefix(line);
            }

            if (firstNonEmpty is null && line.Trim().Length > 0)
            {
                firstNonEmpty = line.Trim();
            }
        }

        return firstNonEmpty;
    }

    private static string StripPrefix(string line)
    {
        var at = line.IndexOf(Prefix, StringComparison.Ordinal);
        return at >= 0 ? line[(at + Prefix.Length)..] : line;
    }
}
