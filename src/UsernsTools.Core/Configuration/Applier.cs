using System.Text;
using UsernsTools.Facts;
using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>
/// Applies a plan safely: approval per change first (so -WhatIf writes nothing), then under the lock it re-plans
/// against fresh state, journals the previous state of every target (fsynced), writes atomically, verifies, and
/// marks the journal record complete. Any failure rolls back what was written and says so.
/// </summary>
internal sealed class Applier
{
    private readonly ConfigurationContext _context;
    private readonly Journal _journal;

    public Applier(ConfigurationContext context)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _journal = new Journal(context.Root, context.Words);
    }

    public Journal Journal => _journal;

    /// <summary>
    /// Plans with <paramref name="plan"/>, asks <paramref name="approve"/> for each change (null approves all),
    /// reports warnings through <paramref name="warn"/> before asking, and applies what was approved.
    /// </summary>
    public async Task<ApplyResult> ApplyAsync(
        Func<ConfigurationState, ChangePlan> plan,
        Func<PlannedChange, bool>? approve,
        Action<string>? warn,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        RootedPath.RequireRoot(_context.Root);
        RefuseUnreadableRoot();
        var first = plan(ConfigurationReader.Read(_context));

        // A record that cannot be read stops the change under the lock below; it stops it here too, before anything is
        // asked, so that -WhatIf and -Confirm do not show a plan the run will refuse. (Records are written atomically:
        // unlike one still Incomplete, an unreadable one is not another run at work.)
        RefuseUnreadable(first);
        foreach (var warning in first.Warnings)
        {
            warn?.Invoke(warning);
        }

        var approved = new HashSet<string>(StringComparer.Ordinal);
        var declined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in first.Changes)
        {
            (Ask(approve, change) ? approved : declined).Add(change.Key);
        }

        if (approved.Count == 0)
        {
            return new ApplyResult
            {
                Changes = first.Changes.Select(c => c.ToChange(ChangeStatus.Declined, null)).Concat(first.Unchanged).ToList(),
                Warnings = first.Warnings,
                Notes = first.Notes,
            };
        }

        CheckPermissions(first.Changes.Where(c => approved.Contains(c.Key)));
        cancellationToken.ThrowIfCancellationRequested();

        using var configurationLock = ConfigurationLock.Acquire(_context.Root, _context.LockTimeout, cancellationToken);

        // Under the lock no other run writes, so a temporary file is one a killed run left behind.
        var removed = AtomicFile.RemoveStaleTemporaries(_context.Root);
        var current = plan(ConfigurationReader.Read(_context));
        RefuseIfInterrupted(current);
        var notes = current.Notes.ToList();
        if (removed.Count > 0)
        {
            notes.Add($"Removed {removed.Count} temporary file(s) an interrupted run left behind: {string.Join(", ", removed)}.");
        }

        var results = new List<UsernsChange>();
        var toApply = new List<PlannedChange>();
        foreach (var change in current.Changes)
        {
            var yes = approved.Contains(change.Key) || (!declined.Contains(change.Key) && Ask(approve, change));
            if (yes)
            {
                toApply.Add(change);
            }
            else
            {
                results.Add(change.ToChange(ChangeStatus.Declined, null));
            }
        }

        results.AddRange(current.Unchanged);
        var warnings = current.Warnings.Union(first.Warnings).ToList();
        if (toApply.Count == 0)
        {
            return new ApplyResult { Changes = results, Warnings = warnings, Notes = notes };
        }

        var resumed = current.ResumesBackupId is null ? null : _journal.Find(current.ResumesBackupId);
        if (toApply.All(c => c.JournalOnly))
        {
            var closing = toApply.Select(c => c.ToChange(ChangeStatus.Applied, resumed?.Id)).ToList();
            if (resumed is not null)
            {
                Complete(resumed, closing);
            }

            if (current.RestoresBackupId is not null)
            {
                MarkRestored(current.RestoresBackupId, resumed?.Id);
            }

            results.InsertRange(0, closing);
            return new ApplyResult { Changes = results, BackupId = resumed?.Id, Warnings = warnings, Notes = notes };
        }

        toApply.RemoveAll(c => c.JournalOnly);
        JournalRecord record;
        if (resumed is not null)
        {
            // Finishing an interrupted restore under its own record: its entries already hold the state from before it
            // started, which is what undoing it must put back; targets it had not recorded are added.
            var known = resumed.Entries.Select(e => e.Kind + ":" + e.Target).ToHashSet(StringComparer.Ordinal);
            resumed.Entries.AddRange(JournalEntries(toApply).Where(e => !known.Contains(e.Kind + ":" + e.Target)));
            resumed.Changes = toApply.Select(c => c.ToChange(ChangeStatus.Interrupted, null)).ToList();
            _journal.Save(resumed);
            record = resumed;
        }
        else
        {
            record = _journal.Begin(
                current.Operation,
                JournalEntries(toApply),
                toApply.Select(c => c.ToChange(ChangeStatus.Interrupted, null)).ToList(),
                current.RestoresBackupId,
                _context.Now);
        }

        _context.FaultPoint?.Invoke("journal-written");

        var touched = new List<PlannedChange>();
        var completed = 0;
        try
        {
            for (var i = 0; i < toApply.Count; i++)
            {
                touched.Add(toApply[i]);
                await ApplyOneAsync(toApply[i]).ConfigureAwait(false);
                completed++;
                _context.FaultPoint?.Invoke("change-applied-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            Verify(toApply, current, warnings);
        }
        catch (Exception ex) when (ex is UsernsException or IOException or UnauthorizedAccessException)
        {
            await RollBackAsync(record, touched, completed, ex, everything: resumed is not null).ConfigureAwait(false);
            throw IoFailure.From(ex, touched.Count > 0 ? touched[^1].DisplayTarget : record.Id, "change");
        }

        var applied = toApply.Select(c => c.ToChange(ChangeStatus.Applied, record.Id)).ToList();
        Complete(record, applied);

        if (current.RestoresBackupId is not null)
        {
            MarkRestored(current.RestoresBackupId, record.Id);
        }

        results.InsertRange(0, applied);
        return new ApplyResult { Changes = results, BackupId = record.Id, Warnings = warnings, Notes = notes };
    }

    private void Complete(JournalRecord record, List<UsernsChange> changes)
    {
        record.Changes = changes;
        record.State = BackupState.Complete;
        record.FinishedAt = _context.Now;
        _journal.Save(record);
    }

    /// <summary>Marks a record as undone without changing anything (its targets were already back in place).</summary>
    public void MarkRestored(string backupId, string? byId)
    {
        var original = _journal.Find(backupId);
        if (original is null)
        {
            return;
        }

        original.State = original.State == BackupState.Incomplete ? BackupState.RolledBack : BackupState.Restored;
        original.RestoredBy = byId ?? original.RestoredBy;
        original.FinishedAt ??= _context.Now;
        _journal.Save(original);
    }

    private static bool Ask(Func<PlannedChange, bool>? approve, PlannedChange change) => approve?.Invoke(change) ?? true;

    private void RefuseUnreadable(ChangePlan plan)
    {
        if (plan.Force)
        {
            return;
        }

        if (_journal.List().FirstOrDefault(r => r.Unreadable is not null
                && !string.Equals(r.Id, plan.RestoresBackupId, StringComparison.Ordinal)
                && !string.Equals(r.Id, plan.ResumesBackupId, StringComparison.Ordinal)) is { } unreadable)
        {
            throw _journal.Unreadable(unreadable.Id, unreadable.Unreadable!);
        }
    }

    private void RefuseIfInterrupted(ChangePlan plan)
    {
        if (plan.Force)
        {
            return;
        }

        // Under the lock no other run is active, so an Incomplete record is one whose process died mid-change.
        var pending = _journal.List()
            .Where(r => r.State == BackupState.Incomplete
                && !string.Equals(r.Id, plan.RestoresBackupId, StringComparison.Ordinal)
                && !string.Equals(r.Id, plan.ResumesBackupId, StringComparison.Ordinal))
            .ToList();
        if (pending.Count == 0)
        {
            return;
        }

        var words = _context.Words;
        if (pending.FirstOrDefault(r => r.Unreadable is not null) is { } unreadable)
        {
            throw _journal.Unreadable(unreadable.Id, unreadable.Unreadable!);
        }

        var last = pending[^1];
        var ids = string.Join(", ", pending.Select(r => r.Id));
        throw new UsernsException(
            "InterruptedChangePending",
            UsernsErrorCategory.InvalidOperation,
            last.RestoresBackupId is not null
                ? $"A restore of backup {last.RestoresBackupId} was interrupted before it finished (record {last.Id}). Finish it first with "
                    + $"{words.Restore(last.Id)}, or use {words.Force} to go ahead anyway. Nothing was changed."
                : $"An earlier change was interrupted before it finished (backup {ids}). Roll it back first with "
                    + $"{words.Restore(last.Id)}, or use {words.Force} to go ahead anyway. Nothing was changed.",
            last.Id);
    }

    /// <summary>Plans and makes the checks of <see cref="ApplyAsync"/> that come before the lock; writes nothing.</summary>
    public ChangePlan Check(Func<ConfigurationState, ChangePlan> plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        RefuseUnreadableRoot();
        var planned = plan(ConfigurationReader.Read(_context));
        if (planned.Changes.Count > 0)
        {
            CheckPermissions(planned.Changes);
        }

        return planned;
    }

    /// <summary>
    /// Refuses a root that is a file, or that the caller cannot read: without privilege, an unreadable root looks empty
    /// (every setting absent, no journal), and the plan would blame the kernel; the real reason is the missing permission.
    /// </summary>
    private void RefuseUnreadableRoot()
    {
        // A file given as the root would otherwise fail later with a reason that has nothing to do with it.
        if (File.Exists(_context.Root))
        {
            throw new UsernsException(
                "RootNotDirectory", UsernsErrorCategory.InvalidArgument, $"The root '{_context.Root}' is not a directory: give the folder that stands for the machine's /.", _context.Root);
        }

        if (_context.EffectiveUid == 0)
        {
            return;
        }

        var errno = PosixNative.CheckSearchable(_context.Root);
        if (errno is PosixNative.EACCES or PosixNative.EPERM)
        {
            throw IoFailure.PermissionDenied(_context.Root, "read");
        }
    }

    /// <summary>Refuses before anything is written when the caller cannot write every target (non-root: use sudo).</summary>
    private void CheckPermissions(IEnumerable<PlannedChange> changes)
    {
        var directories = new List<string> { ManagedPaths.JournalDir };
        foreach (var change in changes)
        {
            switch (change.Kind)
            {
                case ChangeKind.RuntimeSetting:
                    var path = RuntimeSysctl.PathOf(_context, change.Setting!);
                    Check(path, path, "write");
                    break;
                case ChangeKind.AppArmorLoad:
                    if (_context.EffectiveUid != 0)
                    {
                        throw IoFailure.PermissionDenied(_context.Show(change.Target), "load the AppArmor profile");
                    }

                    break;
                default:
                    directories.Add(Path.GetDirectoryName(change.File ?? change.Target)!);
                    break;
            }
        }

        foreach (var directory in directories.Distinct(StringComparer.Ordinal))
        {
            var existing = directory;
            while (!Directory.Exists(RootedPath.Combine(_context.Root, existing)) && existing.Length > 1)
            {
                existing = Path.GetDirectoryName(existing) ?? "/";
            }

            Check(RootedPath.Combine(_context.Root, existing), _context.Show(directory), "write to");
        }
    }

    private static void Check(string fullPath, string target, string action)
    {
        var errno = PosixNative.CheckWritable(fullPath);
        if (errno == 0 || errno == PosixNative.ENOENT)
        {
            return;
        }

        throw errno switch
        {
            PosixNative.EROFS => new UsernsException(
                "ReadOnlyFileSystem", UsernsErrorCategory.WriteError, $"Cannot {action} {target}: the file system is read-only. Nothing was changed.", target),
            _ => IoFailure.PermissionDenied(target, action),
        };
    }

    private List<JournalEntry> JournalEntries(IReadOnlyList<PlannedChange> changes)
    {
        var entries = new List<JournalEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            switch (change.Kind)
            {
                case ChangeKind.RuntimeSetting:
                    if (seen.Add("runtime:" + change.Target))
                    {
                        entries.Add(new JournalEntry
                        {
                            Kind = JournalEntryKind.Runtime,
                            Target = change.Target,
                            Setting = change.Setting,
                            Existed = true,
                            Value = RuntimeSysctl.Read(_context, change.Setting!),
                        });
                    }

                    break;
                case ChangeKind.AppArmorLoad:
                    if (seen.Add("load:" + change.Target))
                    {
                        var file = change.ProfileFile!;
                        var previous = entries.FirstOrDefault(e => e.Kind == JournalEntryKind.File && e.Target == file);
                        entries.Add(new JournalEntry
                        {
                            Kind = JournalEntryKind.AppArmorLoad,
                            Target = file,
                            Existed = previous?.Existed ?? AtomicFile.Read(_context.Root, file).Exists,
                            Parser = change.Argv?[0],
                        });
                    }

                    break;
                case ChangeKind.BootOption:
                    break;
                default:
                    var target = change.File ?? change.Target;
                    if (seen.Add("file:" + target))
                    {
                        entries.Add(JournalEntry.ForFile(target, AtomicFile.Read(_context.Root, target)));
                    }

                    break;
            }
        }

        return entries;
    }

    private async Task ApplyOneAsync(PlannedChange change)
    {
        switch (change.Kind)
        {
            case ChangeKind.RuntimeSetting:
                RuntimeSysctl.Write(_context, change.Setting!, change.Value!);
                break;
            case ChangeKind.SysctlDropIn:
                var current = AtomicFile.Read(_context.Root, change.File!);
                var text = SysctlDropIn.With(current.Text, change.Setting!, change.Value!);
                AtomicFile.Write(
                    _context.Root,
                    change.File!,
                    Encoding.UTF8.GetBytes(text),
                    current.Exists ? current.Mode : AtomicFile.DefaultMode,
                    current.Exists ? current.Uid : null,
                    current.Exists ? current.Gid : null);
                break;
            case ChangeKind.AppArmorProfile:
            case ChangeKind.FileRestore:
                AtomicFile.Apply(_context.Root, change.File!, change.Desired!, change.SetOwner);
                break;
            case ChangeKind.AppArmorLoad:
                await LoadAsync(change).ConfigureAwait(false);
                break;
            default:
                throw new UsernsException("UnsupportedChange", UsernsErrorCategory.InvalidOperation, $"{change.Kind} is not applied by UsernsTools.", change.Target);
        }
    }

    private async Task LoadAsync(PlannedChange change)
    {
        if (!_context.LoadsProfiles)
        {
            throw new UsernsException(
                "ProgramBelowRootNotRun", UsernsErrorCategory.InvalidOperation, $"UsernsTools runs no program found below the root {_context.Root}.", change.Target);
        }

        var argv = change.Argv!;
        var request = new ProcessRequest(new[] { RootedPath.Combine(_context.Root, argv[0]), argv[1], RootedPath.Combine(_context.Root, argv[2]) })
        {
            Environment = ProcessRunner.CLocale,
            Timeout = TimeSpan.FromSeconds(60),
        };

        // Not cancellable: once the journal is written the run finishes (or rolls back) rather than stopping halfway.
        var result = await _context.Runner.RunAsync(request, CancellationToken.None).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            var reason = result.StartError ?? result.StandardError.Trim();
            throw new UsernsException(
                "AppArmorLoadFailed",
                UsernsErrorCategory.InvalidOperation,
                $"{string.Join(' ', argv)} failed (exit {result.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}): {reason}",
                change.Target);
        }
    }

    private void Verify(IReadOnlyList<PlannedChange> applied, ChangePlan plan, List<string> warnings)
    {
        foreach (var change in applied)
        {
            switch (change.Kind)
            {
                case ChangeKind.RuntimeSetting:
                    var now = RuntimeSysctl.Read(_context, change.Setting!);
                    if (!SettingDefinition.SameValue(now, change.Value))
                    {
                        throw Mismatch(change.Target, $"{change.Setting} reads {now ?? "nothing"} after writing {change.Value}");
                    }

                    break;
                case ChangeKind.SysctlDropIn:
                    var written = SysctlDropIn.ValueOf(AtomicFile.Read(_context.Root, change.File!).Text, change.Setting!);
                    if (!SettingDefinition.SameValue(written, change.Value))
                    {
                        throw Mismatch(change.File!, $"{_context.Show(change.File!)} gives {change.Setting} = {written ?? "nothing"} after writing {change.Value}");
                    }

                    break;
                case ChangeKind.AppArmorProfile:
                case ChangeKind.FileRestore:
                    var state = AtomicFile.Read(_context.Root, change.File!);
                    var same = change.SetOwner ? state.SameAs(change.Desired!) : state.SameContent(change.Desired!);
                    if (!same)
                    {
                        throw Mismatch(change.File!, $"{_context.Show(change.File!)} does not read back as written");
                    }

                    break;
            }
        }

        if (plan.ExpectedPersisted.Count == 0)
        {
            return;
        }

        var resolution = SysctlPrecedence.Resolve(_context.Root, null);
        foreach (var (key, value) in plan.ExpectedPersisted)
        {
            if (!applied.Any(c => c.Kind == ChangeKind.SysctlDropIn && c.Setting == key))
            {
                continue;
            }

            var winner = resolution[key]?.Winner;
            if (winner is null || !SettingDefinition.SameValue(winner.Value, value))
            {
                var found = winner is null ? "no value" : $"{winner.Value} from {_context.Show(winner.File)}:{winner.Line.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
                if (plan.Force)
                {
                    warnings.Add($"After writing, boot would apply {key} = {found}, not {value}.");
                    continue;
                }

                throw Mismatch(ManagedPaths.SysctlDropIn, $"after writing, the sysctl precedence rules give {key} = {found}, not {value}");
            }
        }
    }

    private static UsernsException Mismatch(string target, string message) =>
        new("VerificationFailed", UsernsErrorCategory.InvalidData, $"Verification failed: {message}. The change was rolled back.", target);

    /// <summary>Puts back the previous state of what was touched; the record then says RolledBack (or stays Incomplete if that failed too).</summary>
    private async Task RollBackAsync(JournalRecord record, IReadOnlyList<PlannedChange> touched, int completed, Exception cause, bool everything)
    {
        // A file write that failed may still have replaced the file (verification failures), so it is put back;
        // a load that failed loaded nothing, so only completed loads are undone.
        var files = touched.Where(c => c.Kind is not (ChangeKind.RuntimeSetting or ChangeKind.AppArmorLoad)).Select(c => c.File ?? c.Target).ToHashSet(StringComparer.Ordinal);
        var runtime = touched.Where(c => c.Kind == ChangeKind.RuntimeSetting).Select(c => c.Target).ToHashSet(StringComparer.Ordinal);
        var loads = touched.Take(completed).Where(c => c.Kind == ChangeKind.AppArmorLoad).Select(c => c.ProfileFile!).ToHashSet(StringComparer.Ordinal);
        // A finished run that was interrupted before may have changed any target it recorded: all are put back.
        var entries = record.Entries.Where(e => everything || e.Kind switch
        {
            JournalEntryKind.File => files.Contains(e.Target),
            JournalEntryKind.Runtime => runtime.Contains(e.Target),
            _ => loads.Contains(e.Target),
        }).ToList();
        try
        {
            var state = ConfigurationReader.Read(_context);
            var builder = new PlanBuilder(state, force: true);
            Planner.AddRestoreSteps(builder, entries, state);
            foreach (var step in builder.Build("rollback").Changes)
            {
                await ApplyOneAsync(step).ConfigureAwait(false);
            }

            record.State = BackupState.RolledBack;
            record.Changes = touched.Select(c => c.ToChange(ChangeStatus.RolledBack, record.Id)).ToList();
            record.FinishedAt = _context.Now;
            _journal.Save(record);
        }
        catch (Exception ex) when (ex is UsernsException or IOException or UnauthorizedAccessException)
        {
            throw new UsernsException(
                "RollbackFailed",
                UsernsErrorCategory.WriteError,
                $"{cause.Message} Rolling back also failed ({ex.Message}); backup {record.Id} stays Incomplete: run "
                + $"{_context.Words.Restore(record.Id)} once the cause is fixed.",
                record.Id,
                new AggregateException(cause, ex));
        }
    }
}
