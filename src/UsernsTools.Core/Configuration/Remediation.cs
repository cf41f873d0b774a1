using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>
/// The remediation operations the front ends call, one per cmdlet or CLI command. Changing operations take a
/// per-change approval (the cmdlet passes ShouldProcess, so -WhatIf and -Confirm work per change; null approves
/// all) and a warning sink called before any approval is asked.
/// </summary>
internal static class Remediation
{
    /// <summary>Set-UsernsSetting.</summary>
    public static Task<ApplyResult> SetSettingAsync(
        SetSettingRequest request,
        ConfigurationContext context,
        Func<PlannedChange, bool>? approve = null,
        Action<string>? warn = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Applier(context).ApplyAsync(state => Planner.PlanSetting(request, state), approve, warn, cancellationToken);
    }

    /// <summary>Test-UsernsSetting: true when the value is in force in every scope asked.</summary>
    public static bool TestSetting(SetSettingRequest request, ConfigurationContext context) =>
        Planner.TestSetting(request, ConfigurationReader.Read(context));

    /// <summary>Enable-UnprivilegedUserns.</summary>
    public static Task<ApplyResult> EnableAsync(
        EnableRequest request,
        ConfigurationContext context,
        Func<PlannedChange, bool>? approve = null,
        Action<string>? warn = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Applier(context).ApplyAsync(state => Planner.PlanEnable(request, state), approve, warn, cancellationToken);
    }

    /// <summary>Disable-UnprivilegedUserns.</summary>
    public static Task<ApplyResult> DisableAsync(
        DisableRequest request,
        ConfigurationContext context,
        Func<PlannedChange, bool>? approve = null,
        Action<string>? warn = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Applier(context).ApplyAsync(state => Planner.PlanDisable(request, state), approve, warn, cancellationToken);
    }

    /// <summary>Get-UsernsBackup: all records oldest first (or the one asked for).</summary>
    public static IReadOnlyList<UsernsBackup> GetBackups(ConfigurationContext context, string? backupId = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var journal = new Journal(context.Root);
        if (backupId is not null)
        {
            var record = journal.Find(backupId) ?? throw NotFound(backupId);
            return new[] { Journal.ToBackup(record) };
        }

        return journal.List().Select(Journal.ToBackup).ToList();
    }

    /// <summary>
    /// Restore-UsernsConfiguration: puts back exactly what a record replaced. Without an id, the newest change
    /// not yet undone, so repeated calls walk back through history.
    /// </summary>
    public static Task<ApplyResult> RestoreAsync(
        RestoreRequest request,
        ConfigurationContext context,
        Func<PlannedChange, bool>? approve = null,
        Action<string>? warn = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var journal = new Journal(context.Root);
        JournalRecord record;
        if (request.BackupId is not null)
        {
            record = journal.Find(request.BackupId) ?? throw NotFound(request.BackupId);
            if (record.State == BackupState.Restored || record.State == BackupState.RolledBack)
            {
                warn?.Invoke($"Backup {record.Id} was already {(record.State == BackupState.Restored ? "restored" : "rolled back")}; restoring it again puts its recorded state back once more.");
            }
        }
        else
        {
            record = journal.List().LastOrDefault(r => r.RestoresBackupId is null && r.State is BackupState.Complete or BackupState.Incomplete)
                ?? throw new UsernsException("NoBackupToRestore", UsernsErrorCategory.ObjectNotFound, "There is no change left to undo (Get-UsernsBackup lists the records).");
        }

        return new Applier(context).ApplyAsync(state => Planner.PlanRestore(record, state, request.Force), approve, warn, cancellationToken);
    }

    /// <summary>The plan an operation would apply now, for previews that need no approval callback.</summary>
    public static ChangePlan Preview(Func<ConfigurationState, ChangePlan> plan, ConfigurationContext context)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan(ConfigurationReader.Read(context));
    }

    /// <summary>
    /// The plan, after the checks an apply makes before it writes anything (an unreadable root, privilege for each
    /// change, a read-only file system): a what-if that refuses what the change itself would refuse.
    /// </summary>
    public static ChangePlan Check(Func<ConfigurationState, ChangePlan> plan, ConfigurationContext context)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new Applier(context).Check(plan);
    }

    private static UsernsException NotFound(string id) =>
        new("BackupNotFound", UsernsErrorCategory.ObjectNotFound, $"There is no backup '{id}' (Get-UsernsBackup lists them).", id);
}
