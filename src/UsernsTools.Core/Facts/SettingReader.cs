using UsernsTools.Configuration;
using UsernsTools.Platform;

namespace UsernsTools.Facts;

/// <summary>Reads the catalog's settings: runtime value from /proc/sys (or /sys/module), persisted value from sysctl configuration.</summary>
internal static class SettingReader
{
    /// <summary>
    /// The settings named in <paramref name="names"/> (all when null or empty), in catalog order.
    /// Names may use '/' separators and any letter case; <c>*</c> and <c>?</c> wildcards select several
    /// settings and matching none is not an error, but a plain name that is not in the catalog is.
    /// <paramref name="overlay"/> is passed to <see cref="SysctlPrecedence.Resolve"/> to show a plan's outcome.
    /// </summary>
    public static IReadOnlyList<UsernsSetting> Read(
        string root,
        IReadOnlyList<string>? names,
        IReadOnlyDictionary<string, string?>? overlay = null,
        Action<UsernsException>? unknownName = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        var selected = Select(names, unknownName);
        var resolution = SysctlPrecedence.Resolve(root, overlay);
        return selected.Select(d => Read(root, d, resolution)).ToArray();
    }

    /// <summary>
    /// One setting, with the persisted value taken from an already computed resolution. <paramref name="procRoot"/>
    /// (default <c>root/proc</c>) is where /proc values are read: a nested user namespace's own /proc, for example.
    /// </summary>
    public static UsernsSetting Read(string root, SettingDefinition definition, SysctlResolution resolution, string? procRoot = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(resolution);
        var (fileRoot, path) = procRoot is not null && definition.Path.StartsWith("/proc/", StringComparison.Ordinal)
            ? (procRoot, definition.Path["/proc".Length..])
            : (root, definition.Path);
        var present = File.Exists(RootedPath.Combine(fileRoot, path));
        var runtime = present ? RootedPath.ReadValue(fileRoot, path) : null;
        var persisted = definition.IsSysctl ? resolution[definition.Name] : null;
        return new UsernsSetting
        {
            Name = definition.Name,
            Path = definition.Path,
            Present = present,
            RuntimeValue = runtime,
            PersistedValue = persisted?.Winner.Value,
            PersistedSource = persisted?.Winner.Source,
            Shadowed = persisted?.Shadowed ?? Array.Empty<SysctlAssignment>(),
            Effect = definition.Describe(present, runtime),
        };
    }

    /// <summary>The value of a sysctl below a proc root (trimmed), or null when the kernel lacks it or it cannot be read.</summary>
    public static string? ReadRuntimeValue(string procRoot, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return RootedPath.ReadValue(procRoot, "/sys/" + name.Replace('.', '/'));
    }

    /// <summary>
    /// Catalog entries matching the requested names. A plain name the catalog lacks is an UnknownSetting error, passed
    /// to <paramref name="unknownName"/> (so the other names are still read) or, without one, thrown.
    /// </summary>
    public static IReadOnlyList<SettingDefinition> Select(IReadOnlyList<string>? names, Action<UsernsException>? unknownName = null)
    {
        if (names is null || names.Count == 0)
        {
            return SettingCatalog.All;
        }

        var chosen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in names)
        {
            var name = SysctlPrecedence.NormalizeKey((raw ?? "").Trim());
            var wildcard = name.AsSpan().IndexOfAny('*', '?') >= 0;
            var matched = SettingCatalog.All.Where(d => wildcard
                ? System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(name, d.Name, ignoreCase: true)
                : string.Equals(name, d.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matched.Count == 0 && !wildcard)
            {
                var error = new UsernsException(
                    "UnknownSetting",
                    UsernsErrorCategory.InvalidArgument,
                    $"'{raw}' is not a user namespace setting. Valid names: {string.Join(", ", SettingCatalog.Names)}.",
                    raw);
                if (unknownName is null)
                {
                    throw error;
                }

                unknownName(error);
                continue;
            }

            foreach (var d in matched)
            {
                chosen.Add(d.Name);
            }
        }

        return SettingCatalog.All.Where(d => chosen.Contains(d.Name)).ToArray();
    }
}
