using UsernsTools.Facts;
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
        var resolution = SysctlPrecedence.Resolve(root, null);
        var runtime = new Dictionary<string, string?>(StringComparer.Ordinal);
        var linked = new Dictionary<string, UsernsException>(StringComparer.Ordinal);
        foreach (var definition in SettingCatalog.Writable)
        {
            try
            {
                // Checked before reading: a value read through a link planted below a root would be shown and journaled.
                _ = RuntimeSysctl.PathOf(context, definition.Name);
            }
            catch (UsernsException ex)
            {
                linked[definition.Name] = ex;
                runtime[definition.Name] = null;
                continue;
            }

            runtime[definition.Name] = SettingReader.Read(root, definition, resolution, context.ProcRoot).RuntimeValue;
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

        var journal = new Journal(root, context.Words);
        return new ConfigurationState
        {
            Records = journal.List,
            FindRecord = journal.Find,
            Words = context.Words,
            Root = root,
            ProcRoot = context.ProcRoot,
            Runtime = runtime,
            UnsafeRuntimePaths = linked,
            ThreadsMax = SettingReader.ReadRuntimeValue(procRoot, "kernel.threads-max"),
            Rhel7Switch = SettingReader.Read(root, SettingCatalog.Find(SettingNames.UserNamespaceEnable)!, resolution).RuntimeValue,
            AppArmorEnabled = string.Equals(RootedPath.ReadValue(root, "/sys/module/apparmor/parameters/enabled"), "Y", StringComparison.Ordinal),
            LoadsProfiles = context.LoadsProfiles,
            AppArmorParser = PathLookup.Find("apparmor_parser", PathLookup.DefaultPath, root),
            LoadedProfiles = loaded,
            Profiles = AppArmorProfileReader.ReadAll(root),
            BwrapPath = PathLookup.Find("bwrap", PathLookup.DefaultPath, root),
            ReadFile = path => AtomicFile.Read(root, path),
            Resolve = overlay => SysctlPrecedence.Resolve(root, overlay),
            ResolveProgram = path => AppArmorProfileWriter.ResolveProgram(root, path),
        };
    }
}
