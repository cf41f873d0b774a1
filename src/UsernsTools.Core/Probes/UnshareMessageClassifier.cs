namespace UsernsTools.Probes;

/// <summary>
/// Reads the messages of util-linux <c>unshare</c> and <c>setpriv</c>, BusyBox <c>unshare</c> and shadow's
/// <c>newuidmap</c>/<c>newgidmap</c> (always run in the C locale) and says at which stage a probe failed and with
/// which errno. Pure: no I/O, so every wording is covered by table tests.
/// </summary>
internal static class UnshareMessageClassifier
{
    // Wordings that mean the tool itself could not do its job before any namespace was involved: setpriv could
    // not switch user or run unshare, unshare could not run the command, or an option is too new for this build.
    private static readonly string[] s_launchWords =
    {
        "failed to execute",
        "unrecognized option",
        "invalid option",
        "unknown option",
        // "unsupported propagation mode", "unsupported --setgroups argument"; not "Operation not supported",
        // which is an errno text.
        "unsupported ",
    };

    // unshare(2) itself, or the fork that makes the first process of a new pid namespace.
    private static readonly string[] s_createWords =
    {
        "unshare failed",
        "unshare(0x",
        "fork failed",
        "cannot clone",
    };

    // Writing setgroups, gid_map or uid_map (directly, or through newuidmap/newgidmap).
    private static readonly string[] s_mapWords =
    {
        "uid_map",
        "gid_map",
        "setgroups",
        "newuidmap",
        "newgidmap",
    };

    // Using a capability inside the new namespaces: mount propagation, mounting /proc, time offsets, ids.
    private static readonly string[] s_useWords =
    {
        "propagation",
        "mount",
        "timens_offsets",
        "cannot change root directory",
        "cannot chdir",
        "setuid failed",
        "setgid failed",
        "capget failed",
        "capset failed",
        "prctl",
    };

    /// <summary>Classifies one message line, e.g. <c>unshare: unshare failed: Operation not permitted</c>.</summary>
    public static ClassifiedFailure Classify(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return new ClassifiedFailure(ProbeStage.Create, Errno.Unknown, false);
        }

        var errno = ErrnoOf(message);
        var stage = StageOf(message);
        return stage is { } known
            ? new ClassifiedFailure(known, errno, true)
            : new ClassifiedFailure(ProbeStage.Create, errno, false);
    }

    /// <summary>
    /// Picks the line of a helper's stderr that explains the failure (the first line that names a step, else the
    /// first non-blank line) and classifies it. Lines from wrappers (a shell, a test harness) are skipped that way.
    /// </summary>
    public static (string? Line, ClassifiedFailure Failure) ClassifyOutput(string? standardError)
    {
        string? first = null;
        foreach (var raw in (standardError ?? "").Split('\n'))
        {
            var line = raw.TrimEnd('\r', ' ', '\t');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            first ??= line;
            var failure = Classify(line);
            if (failure.Recognized)
            {
                return (line, failure);
            }
        }

        return (first, Classify(first));
    }

    /// <summary>The errno named by a strerror text in the message; Unknown when none is there.</summary>
    public static Errno ErrnoOf(string? message)
    {
        if (message is null)
        {
            return Errno.Unknown;
        }

        foreach (var (text, errno) in StrerrorText.All)
        {
            if (message.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                return errno;
            }
        }

        return Errno.Unknown;
    }

    private static ProbeStage? StageOf(string message)
    {
        // setpriv runs before unshare, so whatever it complains about (setresuid, setgroups, initgroups, exec)
        // happened before any namespace existed, even when the wording mentions groups.
        if (message.StartsWith("setpriv:", StringComparison.Ordinal))
        {
            return ProbeStage.Launch;
        }

        if (ContainsAny(message, s_launchWords))
        {
            return ProbeStage.Launch;
        }

        if (ContainsAny(message, s_createWords))
        {
            return ProbeStage.Create;
        }

        if (ContainsAny(message, s_mapWords))
        {
            return ProbeStage.Map;
        }

        if (ContainsAny(message, s_useWords))
        {
            return ProbeStage.Use;
        }

        // BusyBox writes the maps with a helper whose only message is this; in unshare it is used for nothing else.
        if (message.StartsWith("unshare: write error", StringComparison.Ordinal)
            || message.StartsWith("unshare: short write", StringComparison.Ordinal))
        {
            return ProbeStage.Map;
        }

        return null;
    }

    private static bool ContainsAny(string message, string[] words)
    {
        foreach (var word in words)
        {
            if (message.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
