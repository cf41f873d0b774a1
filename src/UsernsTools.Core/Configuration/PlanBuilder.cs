using System.Globalization;
using System.Text;
using UsernsTools.Facts;
using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>Collects the steps of one plan against one <see cref="ConfigurationState"/>; keeps files before runtime values.</summary>
internal sealed class PlanBuilder
{
    private readonly ConfigurationState _state;
    private readonly bool _force;
    private readonly List<PlannedChange> _files = new();
    private readonly List<PlannedChange> _loads = new();
    private readonly List<PlannedChange> _runtime = new();
    private readonly List<UsernsChange> _unchanged = new();
    private readonly List<string> _warnings = new();
    private readonly List<string> _notes = new();
    private readonly Dictionary<string, string> _expected = new(StringComparer.Ordinal);
    private string? _dropInText;
    private bool _dropInRead;

    public PlanBuilder(ConfigurationState state, bool force)
    {
        _state = state;
        _force = force;
    }

    public void Warn(string message) => _warnings.Add(message);

    public void Note(string message) => _notes.Add(message);

    public void Unchanged(UsernsChange change) => _unchanged.Add(change);

    public bool HasChanges => _files.Count + _loads.Count + _runtime.Count > 0;

    /// <summary>Plans the setting = <paramref name="value"/> in the scopes asked, skipping each scope where it is already in force.</summary>
    public void AddSysctl(SettingDefinition definition, string value, ChangeScope scope, bool requirePresent)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var name = definition.Name;
        if (scope.HasFlag(ChangeScope.Runtime) && _state.UnsafeRuntimePaths.TryGetValue(name, out var unsafePath))
        {
            throw unsafePath;
        }

        var runtimeValue = _state.RuntimeValue(name);
        if (runtimeValue is null)
        {
            if (requirePresent && scope.HasFlag(ChangeScope.Runtime))
            {
                throw new UsernsException(
                    "SettingNotPresent",
                    UsernsErrorCategory.ObjectNotFound,
                    $"This kernel has no {name} ({_state.Show(definition.Path)} does not exist), so it cannot be set at runtime.",
                    name);
            }

            if (!requirePresent)
            {
                // Only a diagnosis piped in (made elsewhere) asks for a setting this kernel lacks: say so, not in passing.
                Warn($"{name} does not exist on this kernel ({_state.Show(definition.Path)}): the change a diagnosis asks for "
                    + "is not made here. Was the diagnosis made on another machine?");
                return;
            }
        }

        if (scope.HasFlag(ChangeScope.Persistent))
        {
            AddPersistent(name, value);
        }

        if (scope.HasFlag(ChangeScope.Runtime) && runtimeValue is not null)
        {
            if (SettingDefinition.SameValue(runtimeValue, value))
            {
                AlreadyInDesiredState(ChangeKind.RuntimeSetting, definition.Path, $"{name} is already {value} in the running kernel; nothing to change.", setting: name, before: runtimeValue, after: value);
            }
            else
            {
                _runtime.Add(new PlannedChange
                {
                    Kind = ChangeKind.RuntimeSetting,
                    Target = definition.Path,
                    Setting = name,
                    Before = runtimeValue,
                    After = value,
                    Value = value,
                    Scope = ChangeScope.Runtime,
                    Action = $"Set {name} from {runtimeValue} to {value} in the running kernel",
                });
            }
        }
    }

    /// <summary>Plans a per-program AppArmor profile (and loading it when AppArmor is active).</summary>
    public void AddProfile(string programPath)
    {
        AppArmorProfileWriter.ValidateProgramPath(programPath);
        var real = _state.ResolveProgram(programPath)
            ?? throw new UsernsException("ProgramPathNotFound", UsernsErrorCategory.ObjectNotFound, $"{programPath} does not exist, so it can get no AppArmor profile.", programPath);
        if (!string.Equals(real, programPath, StringComparison.Ordinal))
        {
            AppArmorProfileWriter.ValidateProgramPath(real);
            _notes.Add($"{programPath} is a link to {real}; AppArmor attaches to the real file, so the profile names {real}.");
        }

        var file = AppArmorProfileWriter.ProfileFile(real);
        var name = AppArmorProfileWriter.ProfileName(real);
        if (_files.Any(c => c.Kind == ChangeKind.AppArmorProfile && c.Target == file)
            || _unchanged.Any(c => c.Kind == ChangeKind.AppArmorProfile && c.Target == file))
        {
            return;
        }

        var others = _state.Profiles
            .Where(p => !string.Equals(p.File, file, StringComparison.Ordinal) && p.Attachments.Any(a => AppArmorGlob.Matches(a, real)))
            .ToList();
        if (others.Count > 0)
        {
            var blocking = others.Where(p => !p.GrantsUserns).ToList();
            if (blocking.Count == 0)
            {
                AlreadyInDesiredState(
                    ChangeKind.AppArmorProfile,
                    others[0].File,
                    $"Profile {others[0].Name} in {_state.Show(others[0].File)} already attaches to {real} and grants userns; no new profile needed.",
                    file: others[0].File);
                return;
            }

            var other = blocking[0];
            throw new UsernsException(
                "AppArmorAttachmentConflict",
                UsernsErrorCategory.InvalidOperation,
                $"Profile {other.Name} in {_state.Show(other.File)} already attaches to {real} without a userns rule; a second profile for the same path "
                + $"would conflict. Add the line 'userns,' to {_state.Show("/etc/apparmor.d/local/" + other.Name)} (when that profile includes it) and run "
                + $"apparmor_parser -r {other.File}.",
                other.File);
        }

        var text = AppArmorProfileWriter.Render(real);
        var current = _state.ReadFile(file);
        RefuseOtherProgramsProfile(file, current, real);
        var fileChanges = !(current.Exists && string.Equals(current.Text, text, StringComparison.Ordinal));
        if (fileChanges)
        {
            _files.Add(new PlannedChange
            {
                Kind = ChangeKind.AppArmorProfile,
                Target = file,
                File = file,
                Before = current.Text,
                After = text,
                Desired = new FileSnapshot(true, Encoding.UTF8.GetBytes(text), current.Exists ? current.Mode : AtomicFile.DefaultMode, 0, 0),
                Scope = ChangeScope.Persistent,
                Action = $"Write AppArmor profile {name} granting userns to {real}",
            });
        }
        else
        {
            AlreadyInDesiredState(ChangeKind.AppArmorProfile, file, $"{_state.Show(file)} already grants userns to {real}; nothing to change.", file: file, before: text, after: text);
        }

        if (!_state.LoadsProfiles)
        {
            // Below a root, apparmor_parser would be a program found in a folder someone else may have prepared, run
            // as root, and the kernel it loads into is not that machine's: the load is shown, not run.
            // One record says so (a warning of its own said the same again, and "is written" under -WhatIf).
            if (fileChanges)
            {
                _unchanged.Add(NotLoadedBelowRoot(file, name, unload: false));
            }

            return;
        }

        if (!_state.AppArmorEnabled)
        {
            if (fileChanges)
            {
                _warnings.Add($"AppArmor is not active here: {_state.Show(file)} is written but not loaded; it takes effect when AppArmor is enabled.");
            }

            return;
        }

        if (_state.AppArmorParser is null)
        {
            _warnings.Add($"apparmor_parser was not found: {_state.Show(file)} is written but not loaded until the next boot (or apparmor_parser -r {file}).");
            return;
        }

        if (fileChanges || !_state.LoadedProfiles.Contains(name))
        {
            _loads.Add(LoadStep(_state.AppArmorParser, file, name, unload: false));
        }
    }

    /// <summary>
    /// A file already at our profile's name that does not attach to this program belongs to another one (written under
    /// an older naming, or by hand): replacing it would take that program's exemption away without a word.
    /// </summary>
    private static void RefuseOtherProgramsProfile(string file, FileSnapshot current, string program)
    {
        if (!current.Exists)
        {
            return;
        }

        var defined = AppArmorProfileReader.Parse(file, current.Text ?? "");
        if (defined.Any(p => p.Attachments.Contains(program, StringComparer.Ordinal)))
        {
            return;
        }

        var others = defined.SelectMany(p => p.Attachments).Distinct(StringComparer.Ordinal).ToList();
        throw new UsernsException(
            "AppArmorProfileNameTaken",
            UsernsErrorCategory.InvalidOperation,
            others.Count > 0
                ? $"{file} already holds a profile for {string.Join(", ", others)}, not {program}; UsernsTools does not replace another program's profile. Nothing was changed."
                : $"{file} already exists and does not attach to {program}; UsernsTools does not replace a profile it cannot read as its own. Nothing was changed.",
            file);
    }

    /// <summary>
    /// How to keep a file from winning over the drop-in: a packaged file (or one generated under /run) is hidden by a
    /// file of the same name in /etc/sysctl.d, since an edit to it is undone by the next package update.
    /// </summary>
    private string HowToStopWinning(SysctlAssignment winner)
    {
        if (!SysctlBootOrder.IsOverriddenFromEtc(winner.File))
        {
            return "Change or remove that assignment";
        }

        var copy = _state.Show("/etc/sysctl.d/" + Path.GetFileName(winner.File));
        return $"Override {_state.Show(winner.File)} with a file of the same name in /etc/sysctl.d ({copy}, a copy without that line), which hides it "
            + "(the packaged file itself is not to be edited)";
    }

    /// <summary>The load (or unload) a root's own machine has to make: planned and shown, never run below a root.</summary>
    public static UsernsChange NotLoadedBelowRoot(string file, string name, bool unload) => new()
    {
        Target = file,
        Kind = ChangeKind.AppArmorLoad,
        File = file,
        Before = unload ? name : null,
        After = unload ? null : name,
        Scope = ChangeScope.Runtime,
        Status = ChangeStatus.RequiresManualAction,
        // An unload is named by the profile, not its file: the restore removes the file, and apparmor_parser -R reads it.
        Description = unload
            ? $"Not run below a root (UsernsTools runs no program found below a root): unload AppArmor profile {name} on the machine that uses this root (echo -n {name} > /sys/kernel/security/apparmor/.remove)."
            : $"Not run below a root (UsernsTools runs no program found below a root): load AppArmor profile {name} on the machine that uses this root (apparmor_parser -r {file}).",
    };

    /// <summary>A step for apparmor_parser: -r replaces (or adds) the profile in the kernel, -R removes it.</summary>
    public static PlannedChange LoadStep(string parser, string file, string name, bool unload) => new()
    {
        Kind = ChangeKind.AppArmorLoad,
        Target = file,
        File = file,
        ProfileFile = file,
        Argv = new[] { parser, unload ? "-R" : "-r", file },
        Scope = ChangeScope.Runtime,
        Before = unload ? name : null,
        After = unload ? null : name,
        Action = unload ? $"Unload AppArmor profile {name} (apparmor_parser -R)" : $"Load AppArmor profile {name} (apparmor_parser -r)",
    };

    public void AddRestoreFile(string file, FileSnapshot previous)
    {
        var current = _state.ReadFile(file);
        if (current.SameAs(previous))
        {
            AlreadyInDesiredState(ChangeKind.FileRestore, file, $"{_state.Show(file)} is already as recorded; nothing to change.", file: file, before: current.Text, after: previous.Text);
            return;
        }

        _files.Add(new PlannedChange
        {
            Kind = ChangeKind.FileRestore,
            Target = file,
            File = file,
            Before = current.Text,
            After = previous.Text,
            Desired = previous,
            SetOwner = true,
            Scope = ChangeScope.Persistent,
            Action = previous.Exists
                ? $"Restore {_state.Show(file)} ({previous.Content.Length} bytes, mode {Convert.ToString(previous.Mode, 8)}, owner {previous.Uid}:{previous.Gid})"
                : $"Remove {_state.Show(file)}, which did not exist before",
        });
    }

    public void AddRestoreRuntime(string name, string procPath, string previous)
    {
        if (_state.UnsafeRuntimePaths.TryGetValue(name, out var unsafePath))
        {
            throw unsafePath;
        }

        var current = _state.RuntimeValue(name);
        if (current is null)
        {
            _warnings.Add($"{name} no longer exists on this kernel; its runtime value {previous} cannot be restored.");
            return;
        }

        if (SettingDefinition.SameValue(current, previous))
        {
            AlreadyInDesiredState(ChangeKind.RuntimeSetting, procPath, $"{name} is already {previous} in the running kernel; nothing to change.", setting: name, before: current, after: previous);
            return;
        }

        _runtime.Add(new PlannedChange
        {
            Kind = ChangeKind.RuntimeSetting,
            Target = procPath,
            Setting = name,
            Before = current,
            After = previous,
            Value = previous,
            Scope = ChangeScope.Runtime,
            Action = $"Set {name} back from {current} to {previous} in the running kernel",
        });
    }

    public void AddLoad(PlannedChange step, bool first)
    {
        if (first)
        {
            _files.Insert(0, step);
        }
        else
        {
            _loads.Add(step);
        }
    }

    /// <summary>A restore with nothing left to put back still closes the record, so an interrupted one stops blocking.</summary>
    public void AddMarkRestored(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var undone = record.State == BackupState.Incomplete ? "rolled back" : "restored";
        _files.Add(new PlannedChange
        {
            Kind = ChangeKind.FileRestore,
            Target = Journal.PathOf(record.Id),
            File = Journal.PathOf(record.Id),
            Scope = ChangeScope.Persistent,
            JournalOnly = true,
            Action = $"Mark backup {record.Id} as {undone}: everything it recorded is already in place",
        });
    }

    public ChangePlan Build(string operation, string? restoresBackupId = null, string? resumesBackupId = null) => new()
    {
        ResumesBackupId = resumesBackupId,
        Operation = operation,
        Changes = _files.Concat(_loads).Concat(_runtime).Select(c => c with { DisplayTarget = _state.Show(c.Target) }).ToList(),
        Unchanged = _unchanged.ToList(),
        Warnings = _warnings.ToList(),
        Notes = _notes.ToList(),
        ExpectedPersisted = new Dictionary<string, string>(_expected, StringComparer.Ordinal),
        Force = _force,
        RestoresBackupId = restoresBackupId,
    };

    /// <summary>A step the plan needs no change for: <paramref name="target"/> already is as asked, shown with what it is.</summary>
    private void AlreadyInDesiredState(ChangeKind kind, string target, string description, string? setting = null, string? file = null, string? before = null, string? after = null) =>
        _unchanged.Add(new UsernsChange
        {
            Target = target,
            Kind = kind,
            Setting = setting,
            File = file,
            Before = before,
            After = after,
            // A running-kernel value is the one runtime step; every other one is a file.
            Scope = kind == ChangeKind.RuntimeSetting ? ChangeScope.Runtime : ChangeScope.Persistent,
            Status = ChangeStatus.AlreadyInDesiredState,
            Description = description,
        });

    private void AddPersistent(string name, string value)
    {
        var before = _state.Resolve(null)[name];
        if (before is not null && SettingDefinition.SameValue(before.Winner.Value, value))
        {
            AlreadyInDesiredState(
                ChangeKind.SysctlDropIn,
                before.Winner.File,
                $"{name} = {value} is already what boot applies ({_state.Show(before.Winner)}); nothing to change.",
                setting: name,
                file: before.Winner.File,
                before: before.Winner.Value,
                after: value);
            return;
        }

        if (!_dropInRead)
        {
            _dropInText = _state.ReadFile(ManagedPaths.SysctlDropIn).Text;
            _dropInRead = true;
        }

        _dropInText = SysctlDropIn.With(_dropInText, name, value);
        var after = _state.Resolve(new Dictionary<string, string?>(StringComparer.Ordinal) { [ManagedPaths.SysctlDropIn] = _dropInText })[name];
        var wins = after is not null
            && string.Equals(after.Winner.File, ManagedPaths.SysctlDropIn, StringComparison.Ordinal)
            && SettingDefinition.SameValue(after.Winner.Value, value);
        if (wins)
        {
            _expected[name] = value;
            if (after!.Shadowed.Count > 0)
            {
                _notes.Add($"{_state.Show(ManagedPaths.SysctlDropIn)} will win for {name} over {string.Join(", ", after.Shadowed.Select(_state.Show))}.");
            }
        }
        else
        {
            var reason = after is null
                ? $"the sysctl precedence rules give no value for {name} even with {_state.Show(ManagedPaths.SysctlDropIn)} written"
                : $"{_state.Show(after.Winner)} sets {name} = {after.Winner.Value} and would still win at boot over {_state.Show(ManagedPaths.SysctlDropIn)}";
            if (!_force)
            {
                throw new UsernsException(
                    "PersistedSettingOverridden",
                    UsernsErrorCategory.InvalidOperation,
                    after is null
                        ? $"Not changed: {reason}. Use {_state.Words.Force} to write the drop-in anyway."
                        : $"Not changed: {reason}. {HowToStopWinning(after.Winner)}, or use {_state.Words.Force} to write the drop-in anyway.",
                    after?.Winner.Source ?? name);
            }

            _warnings.Add($"{char.ToUpper(reason[0], CultureInfo.InvariantCulture)}{reason[1..]}; the drop-in is written because of {_state.Words.Force}, but boot will not apply {value}.");
        }

        _files.Add(new PlannedChange
        {
            Kind = ChangeKind.SysctlDropIn,
            Target = ManagedPaths.SysctlDropIn,
            File = ManagedPaths.SysctlDropIn,
            Setting = name,
            Before = before?.Winner.Value,
            After = value,
            Value = value,
            Scope = ChangeScope.Persistent,
            Action = $"Persist {name} = {value} in {_state.Show(ManagedPaths.SysctlDropIn)}",
        });
    }
}
