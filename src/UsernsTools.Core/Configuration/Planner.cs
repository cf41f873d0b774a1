using System.Globalization;
using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>
/// Turns a desired state and the machine's state into a plan. Pure: it reads nothing but its arguments (the state's
/// functions included), writes nothing, and may be called again under the lock to re-plan against fresh state.
/// </summary>
internal static class Planner
{
    /// <summary>
    /// The findings Enable acts on when they are piped in, by the diagnosis's own ids: a finding is matched by its id
    /// alone, so a recorded report planned against another root (or a live setting that reads fine) still gets its fix.
    /// </summary>
    public static IReadOnlyList<string> FindingsEnableFixes { get; } = new[]
    {
        FindingIds.UnprivilegedUsernsCloneDisabled,
        FindingIds.UsernsRestrictEnabled,
        FindingIds.MaxUserNamespacesZero,
        FindingIds.AppArmorRestrictsUserns,
        FindingIds.UserNamespaceModuleDisabled,
    };

    public static ChangePlan PlanSetting(SetSettingRequest request, ConfigurationState state)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        var definition = SettingCatalog.GetWritable(request.Name);
        var value = definition.Normalize(request.Value);
        RequireScope(request.Scope);
        var builder = new PlanBuilder(state, request.Force);
        builder.AddSysctl(definition, value, request.Scope, requirePresent: true);
        return builder.Build(state.Words.SetOperation(definition.Name, value, request.Scope));
    }

    /// <summary>Test-UsernsSetting: whether the value is in force in every scope asked.</summary>
    public static bool TestSetting(SetSettingRequest request, ConfigurationState state)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        var definition = SettingCatalog.GetWritable(request.Name);
        var value = definition.Normalize(request.Value);
        RequireScope(request.Scope);
        if (request.Scope.HasFlag(ChangeScope.Runtime) && !SettingDefinition.SameValue(state.RuntimeValue(definition.Name), value))
        {
            return false;
        }

        return !request.Scope.HasFlag(ChangeScope.Persistent)
            || SettingDefinition.SameValue(state.Resolve(null)[definition.Name]?.Winner.Value, value);
    }

    public static ChangePlan PlanEnable(EnableRequest request, ConfigurationState state)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        foreach (var path in request.ProgramPaths)
        {
            AppArmorProfileWriter.ValidateProgramPath(path);
        }

        var builder = new PlanBuilder(state, request.Force);
        var findings = request.Findings.Where(f => f.Severity == Severity.Blocking).ToDictionary(f => f.Id, StringComparer.Ordinal);
        var both = ChangeScope.Runtime | ChangeScope.Persistent;
        var causes = 0;

        if (request.Method is EnableMethod.Auto or EnableMethod.Sysctl)
        {
            if (Blocks(state, findings, SettingNames.UnprivilegedUsernsClone, "0", FindingIds.UnprivilegedUsernsCloneDisabled))
            {
                causes++;
                builder.Note("kernel.unprivileged_userns_clone = 0 blocks unprivileged user namespaces: setting it to 1.");
                builder.AddSysctl(SettingCatalog.GetWritable(SettingNames.UnprivilegedUsernsClone), "1", both, requirePresent: false);
            }

            if (Blocks(state, findings, SettingNames.UsernsRestrict, "1", FindingIds.UsernsRestrictEnabled))
            {
                causes++;
                builder.Note("kernel.userns_restrict = 1 blocks unprivileged user namespaces: setting it to 0.");
                builder.AddSysctl(SettingCatalog.GetWritable(SettingNames.UsernsRestrict), "0", both, requirePresent: false);
            }

            if (Blocks(state, findings, SettingNames.MaxUserNamespaces, "0", FindingIds.MaxUserNamespacesZero))
            {
                causes++;
                var limit = DefaultMaxUserNamespaces(state, findings.GetValueOrDefault(FindingIds.MaxUserNamespacesZero));
                builder.Note($"user.max_user_namespaces = 0 blocks every user namespace: setting it to {limit}.");
                builder.AddSysctl(SettingCatalog.GetWritable(SettingNames.MaxUserNamespaces), limit, both, requirePresent: false);
            }
        }

        var appArmorRestricts = Blocks(state, findings, SettingNames.AppArmorRestrictUnprivilegedUserns, "1", FindingIds.AppArmorRestrictsUserns);
        if (request.Method == EnableMethod.Sysctl && appArmorRestricts)
        {
            causes++;
            builder.Warn("Setting kernel.apparmor_restrict_unprivileged_userns = 0 lifts Ubuntu's restriction for every program; "
                + $"{state.Words.AppArmorMethod} exempts only the programs that need it.");
            builder.AddSysctl(SettingCatalog.GetWritable(SettingNames.AppArmorRestrictUnprivilegedUserns), "0", both, requirePresent: false);
        }
        else if (request.Method == EnableMethod.AppArmorProfile || (request.Method == EnableMethod.Auto && appArmorRestricts))
        {
            causes++;
            var programs = new List<string>();
            if (state.BwrapPath is not null)
            {
                programs.Add(state.BwrapPath);
            }
            else
            {
                builder.Note("bwrap was not found on PATH; only the programs given get a profile.");
            }

            programs.AddRange(request.ProgramPaths);

            // A diagnosis piped in names the programs the kernel log shows restricted (a browser's sandbox): they get a
            // profile too, when they exist on the machine being changed.
            var missing = new List<string>();
            foreach (var path in request.Findings.SelectMany(f => f.ProgramPaths ?? Array.Empty<string>()).Distinct(StringComparer.Ordinal))
            {
                if (programs.Contains(path, StringComparer.Ordinal) || !AppArmorProfileWriter.IsValidProgramPath(path))
                {
                    continue;
                }

                if (state.ResolveProgram(path) is null)
                {
                    builder.Note($"{path}, named by the diagnosis, does not exist here; it gets no profile.");
                    missing.Add(path);
                    continue;
                }

                programs.Add(path);
            }

            if (programs.Count == 0)
            {
                // The notes are lost with the plan: a diagnosis piped in named programs, so say why they were not enough.
                var named = missing.Count == 0
                    ? ""
                    : missing.Count == 1
                        ? $", {missing[0]}, named by the diagnosis, does not exist here,"
                        : $", {string.Join(", ", missing.Take(missing.Count - 1))} and {missing[^1]}, named by the diagnosis, do not exist here,";
                throw new UsernsException(
                    "NoProgramForProfile",
                    UsernsErrorCategory.InvalidArgument,
                    $"No program to write an AppArmor profile for: bwrap is not installed{named} and no {state.Words.Program} was given.");
            }

            foreach (var program in programs.Distinct(StringComparer.Ordinal))
            {
                builder.AddProfile(program);
            }
        }
        else if (request.ProgramPaths.Count > 0)
        {
            builder.Note($"AppArmor does not restrict user namespaces here, so {string.Join(", ", request.ProgramPaths)} need no profile.");
        }

        if (string.Equals(state.Rhel7Switch, "N", StringComparison.OrdinalIgnoreCase) || findings.ContainsKey(FindingIds.UserNamespaceModuleDisabled))
        {
            causes++;
            builder.Unchanged(new UsernsChange
            {
                Target = "kernel command line",
                Kind = ChangeKind.BootOption,
                Setting = SettingNames.UserNamespaceEnable,
                Before = state.Rhel7Switch,
                After = "Y",
                Scope = ChangeScope.Persistent,
                Status = ChangeStatus.RequiresManualAction,
                RequiresReboot = true,
                Description = "This RHEL 7 kernel was booted without user namespaces (user_namespace.enable=N); no setting can change that "
                    + "while it runs. Run: grubby --update-kernel=ALL --args=\"namespace.unpriv_enable=1 user_namespace.enable=1\", "
                    + $"set user.max_user_namespaces above 0 ({state.Words.Set}), then reboot.",
            });
        }

        if (causes == 0)
        {
            builder.Note("Nothing blocks unprivileged user namespaces in the settings UsernsTools manages; nothing to change.");
        }

        return builder.Build(state.Words.EnableOperation(request.Method, request.ProgramPaths));
    }

    public static ChangePlan PlanDisable(DisableRequest request, ConfigurationState state)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        RequireScope(request.Scope);
        var builder = new PlanBuilder(state, request.Force);
        builder.AddSysctl(SettingCatalog.GetWritable(SettingNames.MaxUserNamespaces), "0", request.Scope, requirePresent: true);
        if (builder.HasChanges)
        {
            builder.Warn("With user.max_user_namespaces = 0 nobody, root included, can create user namespaces: rootless Podman and Docker, "
                + "Flatpak and bubblewrap sandboxes, the Chromium, Electron and Firefox sandboxes, unprivileged LXC and systemd units "
                + "with PrivateUsers= stop working. This is the RHEL 8/9 STIG setting (SV-230548, SV-257816) for hosts without containers.");
        }

        return builder.Build(state.Words.DisableOperation(request.Scope));
    }

    /// <summary>
    /// Restore: chooses the record from the journal as the state holds it (so under the lock, two runs never undo the
    /// same record), refuses while a later change that touched the same targets is still in force, and finishes an
    /// interrupted restore rather than rolling it back (which would write back the change its user wanted gone).
    /// </summary>
    public static ChangePlan PlanRestore(RestoreRequest request, ConfigurationState state)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        var records = state.Records();
        var words = state.Words;
        JournalRecord record;
        if (request.BackupId is not null)
        {
            record = state.FindRecord(request.BackupId) ?? throw BackupNotFound(request.BackupId, words);
        }
        else
        {
            record = records.LastOrDefault(r => r.Unreadable is null && r.RestoresBackupId is null && r.State is BackupState.Complete or BackupState.Incomplete)
                ?? throw new UsernsException("NoBackupToRestore", UsernsErrorCategory.ObjectNotFound, $"There is no change left to undo ({words.Backups} lists the records).");
        }

        JournalRecord? resume;
        if (record.State == BackupState.Incomplete && record.RestoresBackupId is not null)
        {
            resume = record;
            record = state.FindRecord(record.RestoresBackupId) ?? throw BackupNotFound(record.RestoresBackupId, words);
        }
        else
        {
            resume = records.LastOrDefault(r => r.Unreadable is null && r.State == BackupState.Incomplete
                && string.Equals(r.RestoresBackupId, record.Id, StringComparison.Ordinal));
        }

        // A preview that took later records as undone shows this one's steps from where those restores leave the machine.
        var previewed = records.Where(r => request.PreviewedAsUndone.Contains(r.Id)).Reverse().ToList();
        if (previewed.Count > 0)
        {
            state = state.AsIfRestored(previewed);
        }

        var builder = new PlanBuilder(state, request.Force);
        if (resume is not null)
        {
            builder.Note($"Record {resume.Id} is a restore of {record.Id} that was interrupted; this run finishes it.");
        }
        else if (record.State is BackupState.Restored or BackupState.RolledBack)
        {
            builder.Warn($"Backup {record.Id} was already {(record.State == BackupState.Restored ? "restored" : "rolled back")}; restoring it again puts its recorded state back once more.");
        }

        RefuseLaterChanges(record, records.Where(r => !request.PreviewedAsUndone.Contains(r.Id)).ToList(), words);
        AddRestoreSteps(builder, record.Entries, state);
        if (!builder.HasChanges && (resume is not null || record.State is BackupState.Complete or BackupState.Incomplete))
        {
            builder.AddMarkRestored(record);
        }

        return builder.Build(state.Words.RestoreOperation(record.Id), record.Id, resume?.Id);
    }

    /// <summary>
    /// A later change still in force that touched one of the record's targets: putting the record's state back would
    /// silently discard it, and its own record (and a later plain restore) would then re-apply the undone change.
    /// </summary>
    private static void RefuseLaterChanges(JournalRecord record, IReadOnlyList<JournalRecord> records, FrontEndWords words)
    {
        var targets = record.Entries.Select(e => e.Target).ToHashSet(StringComparer.Ordinal);
        var index = records.ToList().FindIndex(r => string.Equals(r.Id, record.Id, StringComparison.Ordinal));
        var later = records.Skip(index + 1).FirstOrDefault(r => r.Unreadable is null
            && r.RestoresBackupId is null
            && r.State is BackupState.Complete or BackupState.Incomplete
            && r.Entries.Any(e => targets.Contains(e.Target)));
        if (index < 0 || later is null)
        {
            return;
        }

        var shared = string.Join(", ", later.Entries.Select(e => e.Target).Where(targets.Contains).Distinct(StringComparer.Ordinal));
        throw new UsernsException(
            "LaterChangeNotUndone",
            UsernsErrorCategory.InvalidOperation,
            $"Backup {later.Id} ({later.Operation}), made after {record.Id}, also changed {shared}: restoring {record.Id} now would discard it. "
            + $"Undo {later.Id} first ({words.Restore(later.Id)}), then {record.Id}. Nothing was changed.",
            later.Id);
    }

    private static UsernsException BackupNotFound(string id, FrontEndWords words) =>
        new("BackupNotFound", UsernsErrorCategory.ObjectNotFound, $"There is no backup '{id}' ({words.Backups} lists them).", id);

    private static bool IsOwnProfile(string target) =>
        string.Equals(Path.GetDirectoryName(target), ManagedPaths.AppArmorDir, StringComparison.Ordinal)
        && Path.GetFileName(target).StartsWith(AppArmorProfileWriter.NamePrefix, StringComparison.Ordinal);

    public static void AddRestoreSteps(PlanBuilder builder, IReadOnlyList<JournalEntry> entries, ConfigurationState state)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(state);
        var loads = entries.Where(e => e.Kind == JournalEntryKind.AppArmorLoad).ToList();
        if (!state.LoadsProfiles)
        {
            foreach (var entry in loads)
            {
                builder.Unchanged(PlanBuilder.NotLoadedBelowRoot(entry.Target, Path.GetFileName(entry.Target), unload: !entry.Existed));
            }

            // A profile written below a root was never loaded by us, so no load entry was journaled; but Enable told the
            // administrator to load it there, so removing the file leaves it in that kernel until it is unloaded too.
            foreach (var entry in entries.Where(e => e.Kind == JournalEntryKind.File && !e.Existed && IsOwnProfile(e.Target)
                && !loads.Any(l => string.Equals(l.Target, e.Target, StringComparison.Ordinal))))
            {
                builder.Unchanged(PlanBuilder.NotLoadedBelowRoot(entry.Target, Path.GetFileName(entry.Target), unload: true));
            }

            loads.Clear();
        }

        foreach (var entry in loads.Where(e => !e.Existed))
        {
            var name = Path.GetFileName(entry.Target);
            var parser = state.AppArmorParser ?? entry.Parser;
            if (state.AppArmorEnabled && parser is not null && state.ReadFile(entry.Target).Exists)
            {
                builder.AddLoad(PlanBuilder.LoadStep(parser, entry.Target, name, unload: true), first: true);
            }
        }

        foreach (var entry in entries.Reverse())
        {
            switch (entry.Kind)
            {
                case JournalEntryKind.File:
                    builder.AddRestoreFile(entry.Target, entry.ToSnapshot());
                    break;
                case JournalEntryKind.Runtime when entry.Setting is not null && entry.Value is not null:
                    // A record is a file an administrator can edit: its setting and value pass the same checks as a Set.
                    var definition = SettingCatalog.GetWritable(entry.Setting);
                    builder.AddRestoreRuntime(definition.Name, definition.Path, definition.Normalize(entry.Value));
                    break;
            }
        }

        foreach (var entry in loads.Where(e => e.Existed))
        {
            var parser = state.AppArmorParser ?? entry.Parser;
            if (state.AppArmorEnabled && parser is not null)
            {
                builder.AddLoad(PlanBuilder.LoadStep(parser, entry.Target, Path.GetFileName(entry.Target), unload: false), first: false);
            }
        }
    }

    /// <summary>
    /// Whether a setting blocks: its runtime value, the value boot applies, or a blocking finding of the diagnosis.
    /// Reading the settings themselves keeps Auto working when no diagnosis was piped in.
    /// </summary>
    private static bool Blocks(ConfigurationState state, Dictionary<string, UsernsFinding> findings, string name, string blockingValue, string findingId)
    {
        if (findings.ContainsKey(findingId))
        {
            return true;
        }

        var runtime = state.RuntimeValue(name);
        if (runtime is null)
        {
            return false;
        }

        return SettingDefinition.SameValue(runtime, blockingValue)
            || SettingDefinition.SameValue(state.Resolve(null)[name]?.Winner.Value, blockingValue);
    }

    /// <summary>The finding's recommendation, else the kernel's own default (threads-max / 2), else a documented value.</summary>
    private static string DefaultMaxUserNamespaces(ConfigurationState state, UsernsFinding? finding)
    {
        var definition = SettingCatalog.GetWritable(SettingNames.MaxUserNamespaces);
        if (finding?.RecommendedValue is { } recommended
            && long.TryParse(recommended, NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0 && r <= definition.Maximum)
        {
            return r.ToString(CultureInfo.InvariantCulture);
        }

        if (long.TryParse(state.ThreadsMax, NumberStyles.None, CultureInfo.InvariantCulture, out var threads) && threads >= 2)
        {
            return Math.Min(threads / 2, definition.Maximum).ToString(CultureInfo.InvariantCulture);
        }

        return SettingCatalog.RecommendedMaxUserNamespaces.ToString(CultureInfo.InvariantCulture);
    }

    private static void RequireScope(ChangeScope scope)
    {
        if ((scope & (ChangeScope.Runtime | ChangeScope.Persistent)) == ChangeScope.None)
        {
            throw new UsernsException("ScopeRequired", UsernsErrorCategory.InvalidArgument, "Give -Scope Runtime, Persistent or both.", scope);
        }
    }
}
