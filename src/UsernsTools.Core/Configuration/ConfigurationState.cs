using UsernsTools.Facts;
using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>
/// What the planner knows about the machine: runtime values, AppArmor state and profiles, and functions that read
/// a managed file or ask the precedence engine. Tests build it by hand; <see cref="ConfigurationReader"/> reads it.
/// </summary>
internal sealed record ConfigurationState
{
    public string Root { get; init; } = "/";

    /// <summary>Where /proc is when it is not below <see cref="Root"/> (see <see cref="ConfigurationContext.ProcRoot"/>).</summary>
    public string? ProcRoot { get; init; }

    /// <summary>Runtime value of every known setting; null when the kernel lacks it.</summary>
    public IReadOnlyDictionary<string, string?> Runtime { get; init; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Settings whose /proc/sys file below the root cannot be used (a symbolic link on the way), with the reason.</summary>
    public IReadOnlyDictionary<string, UsernsException> UnsafeRuntimePaths { get; init; } = new Dictionary<string, UsernsException>(StringComparer.Ordinal);

    /// <summary>kernel.threads-max: the kernel's own default for user.max_user_namespaces is half of it.</summary>
    public string? ThreadsMax { get; init; }

    /// <summary>/sys/module/user_namespace/parameters/enable (RHEL 7.0-7.3): Y, N or null when absent.</summary>
    public string? Rhel7Switch { get; init; }

    public bool AppArmorEnabled { get; init; }

    /// <summary>
    /// Whether AppArmor profiles may be loaded by running apparmor_parser: only for the running machine's own root,
    /// never for a folder standing for another machine.
    /// </summary>
    public bool LoadsProfiles { get; init; } = true;

    /// <summary>apparmor_parser as a path on the machine, or null.</summary>
    public string? AppArmorParser { get; init; }

    /// <summary>Names of the profiles loaded in the kernel.</summary>
    public IReadOnlySet<string> LoadedProfiles { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public IReadOnlyList<AppArmorProfileDefinition> Profiles { get; init; } = Array.Empty<AppArmorProfileDefinition>();

    /// <summary>bwrap found on PATH, as a path on the machine.</summary>
    public string? BwrapPath { get; init; }

    /// <summary>Reads a managed file (bytes, mode, owner, extended attributes).</summary>
    public Func<string, FileSnapshot> ReadFile { get; init; } = _ => FileSnapshot.Absent;

    /// <summary>Asks the precedence engine with files replaced as given (null = absent).</summary>
    public Func<IReadOnlyDictionary<string, string?>?, SysctlResolution> Resolve { get; init; } =
        _ => new SysctlResolution(new Dictionary<string, SysctlKeyResolution>(StringComparer.Ordinal), Array.Empty<string>());

    /// <summary>The real path of a program (final symlinks followed below the root), or null when it does not exist.</summary>
    public Func<string, string?> ResolveProgram { get; init; } = p => p;

    /// <summary>Where a machine path really is on this host: what -WhatIf, -Confirm, warnings and errors show.</summary>
    public string Show(string machinePath) => RootedPath.Show(Root, machinePath, ProcRoot);

    /// <summary>An assignment's file and line as a user can open it.</summary>
    public string Show(SysctlAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return Show(assignment.File) + ":" + assignment.Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The journal's records, oldest first (read when a restore is planned, under the lock when it is applied).</summary>
    public Func<IReadOnlyList<JournalRecord>> Records { get; init; } = () => Array.Empty<JournalRecord>();

    /// <summary>Finds one record by id (null when there is none); throws for a bad id or an unreadable record.</summary>
    public Func<string, JournalRecord?> FindRecord { get; init; } = _ => null;

    /// <summary>The commands advice names.</summary>
    public FrontEndWords Words { get; init; } = FrontEndWords.Cmdlets;

    public string? RuntimeValue(string name) => Runtime.TryGetValue(name, out var value) ? value : null;

    /// <summary>
    /// This state as it will be once <paramref name="restored"/> (newest first) have been put back: where the restore of
    /// an older record starts when a preview takes the newer ones as undone. Each record leaves its previous values, so
    /// for a target several of them changed, the oldest one's is what remains.
    /// </summary>
    public ConfigurationState AsIfRestored(IEnumerable<JournalRecord> restored)
    {
        ArgumentNullException.ThrowIfNull(restored);
        var runtime = new Dictionary<string, string?>(Runtime, StringComparer.Ordinal);
        var files = new Dictionary<string, FileSnapshot>(StringComparer.Ordinal);
        foreach (var entry in restored.SelectMany(r => r.Entries))
        {
            switch (entry.Kind)
            {
                case JournalEntryKind.File:
                    files[entry.Target] = entry.ToSnapshot();
                    break;
                case JournalEntryKind.Runtime when entry.Setting is not null && entry.Value is not null:
                    var definition = SettingCatalog.GetWritable(entry.Setting);
                    runtime[definition.Name] = definition.Normalize(entry.Value);
                    break;
            }
        }

        var read = ReadFile;
        return this with { Runtime = runtime, ReadFile = path => files.TryGetValue(path, out var snapshot) ? snapshot : read(path) };
    }
}
