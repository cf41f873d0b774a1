using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>Reads the <see cref="ConfigurationState"/> the planner needs from a machine (or a folder standing for one).</summary>
internal static class ConfigurationReader
{
    public static ConfigurationState Read(ConfigurationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = context.Root;
        var procRoot = context.EffectiveProcRoot;
        var runtime = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var definition in KnownSettings.All)
        {
            runtime[definition.Name] = RuntimeSysctl.Read(procRoot, definition.Name);
        }

        var loaded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in (RootedPath.ReadText(root, "/sys/kernel/security/apparmor/profiles") ?? "").Split('\n'))
        {
            // "name (enforce)"
            var cut = line.LastIndexOf(" (", StringComparison.Ordinal);
            if (cut > 0)
            {
                loaded.Add(line[..cut]);
            }
        }

        var resolver = context.Resolver;
        return new ConfigurationState
        {
            Root = root,
            Runtime = runtime,
            ThreadsMax = RuntimeSysctl.Read(procRoot, "kernel.threads-max"),
            Rhel7Switch = RootedPath.ReadValue(root, "/sys/module/user_namespace/parameters/enable"),
            AppArmorEnabled = string.Equals(RootedPath.ReadValue(root, "/sys/module/apparmor/parameters/enabled"), "Y", StringComparison.Ordinal),
            AppArmorParser = PathLookup.Find("apparmor_parser", PathLookup.DefaultPath, root),
            LoadedProfiles = loaded,
            Profiles = AppArmorProfileScanner.Scan(root),
            BwrapPath = PathLookup.Find("bwrap", PathLookup.DefaultPath, root),
            ReadFile = path => AtomicFile.Read(root, path),
            Resolve = overlay => resolver(root, overlay),
            ResolveProgram = path => AppArmorProfileWriter.ResolveProgram(root, path),
        };
    }
}
