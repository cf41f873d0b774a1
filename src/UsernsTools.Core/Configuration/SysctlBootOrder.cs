namespace UsernsTools.Configuration;

/// <summary>
/// Which sysctl file wins at boot against the UsernsTools drop-in, by the sysctl.d rules <see cref="SysctlPrecedence"/>
/// resolves, told from a persisted source alone (as a report records it): files of /etc/sysctl.d,
/// /run/sysctl.d and /usr/lib/sysctl.d are merged by name (a name in /etc hides the same name below), applied in
/// lexical order of the name, the last value winning; <c>sysctl --system</c> applies /etc/sysctl.conf after them all.
/// </summary>
internal static class SysctlBootOrder
{
    /// <summary>The drop-in's own file name, 99-zz-usernstools.conf.</summary>
    public static string DropInName { get; } = Path.GetFileName(ManagedPaths.SysctlDropIn);

    /// <summary>The file of a persisted source such as <c>/etc/sysctl.conf:12</c>.</summary>
    public static string FileOf(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var colon = source.LastIndexOf(':');
        return colon > 0 && colon < source.Length - 1 && source.AsSpan(colon + 1).ToString().All(char.IsAsciiDigit) ? source[..colon] : source;
    }

    /// <summary>Whether the file is applied after the drop-in, so its value wins over the drop-in's.</summary>
    public static bool WinsOverDropIn(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return string.Equals(file, SysctlPrecedence.SysctlConf, StringComparison.Ordinal)
            || string.CompareOrdinal(Path.GetFileName(file), DropInName) > 0;
    }

    /// <summary>A file the package manager owns (or one generated at boot under /run): overridden from /etc, never edited.</summary>
    public static bool IsOverriddenFromEtc(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.StartsWith("/usr/lib/", StringComparison.Ordinal) || file.StartsWith("/lib/", StringComparison.Ordinal)
            || file.StartsWith("/run/", StringComparison.Ordinal);
    }

    /// <summary>How to stop a file from setting the key: override a packaged one by name from /etc, change one of the administrator's.</summary>
    public static string HowToChange(string source)
    {
        var file = FileOf(source);
        return IsOverriddenFromEtc(file)
            ? $"override {file} with a file of the same name in /etc/sysctl.d (/etc/sysctl.d/{Path.GetFileName(file)}, a copy without that line), which hides it; {file} itself belongs to the package and is not to be edited"
            : $"change that line in {file}";
    }

    /// <summary>What a value the boot files set means for a change persisted by the drop-in, truthfully by file order.</summary>
    public static string AtBoot(string name, string persisted, string source)
    {
        var file = FileOf(source);
        if (string.Equals(file, ManagedPaths.SysctlDropIn, StringComparison.Ordinal))
        {
            return $" {source} (the UsernsTools drop-in) sets {persisted} at boot; the change rewrites it.";
        }

        if (string.Equals(file, SysctlPrecedence.SysctlConf, StringComparison.Ordinal))
        {
            return $" {source} sets {name} = {persisted}, and `sysctl --system` applies /etc/sysctl.conf after every file under /etc/sysctl.d, so it would put {persisted} back: "
                + "change that line first (the command refuses while it wins).";
        }

        if (WinsOverDropIn(file))
        {
            return $" {source} sets {name} = {persisted} and its name sorts after {DropInName}, so it wins at boot and would undo the change at the next boot. "
                + "First " + HowToChange(source) + " (the command refuses while that file wins).";
        }

        return $" {source} also sets {name} = {persisted}, but {DropInName} sorts after it and wins at boot"
            + (IsOverriddenFromEtc(file) ? $"; {file} belongs to a package: leave it as it is." : "; change or remove that line so the files agree.");
    }
}
