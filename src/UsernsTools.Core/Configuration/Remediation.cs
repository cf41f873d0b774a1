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
    public static bool TestSetting(SetSettingRequest request, ConfigurationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        RootedPath.RequireRoot(context.Root);
        return Planner.TestSetting(request, ConfigurationReader.Read(context));
    }

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
        RootedPath.RequireRoot(context.Root);
        var journal = new Journal(context.Root, context.Words);
        if (backupId is not null)
        {
            var record = journal.Find(backupId) ?? throw NotFound(backupId, context.Words);
            return new[] { journal.ToBackup(record) };
        }

        return journal.List().Select(journal.ToBackup).ToList();
    }

    /// <summary>
    /// Restore-UsernsConfiguration: puts back exactly what a record replaced. With <see cref="RestoreRequest.Newest"/>,
    /// the newest change not yet undone, so repeated calls walk back through history; a request with neither an id
    /// nor Newest restores nothing (<see cref="NoBackupIdGiven"/>), so a record that changed nothing can never stand
    /// for an unrelated newer change.
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
        RootedPath.RequireRoot(context.Root);
        if (request.BackupId is null && !request.Newest)
        {
            // Undoing the newest change is asked for explicitly; a record without an id must not stand for it.
            throw NoBackupIdGiven(1);
        }

        // The record is chosen by the plan, which runs again under the lock: a concurrent restore is seen there.
        return new Applier(context).ApplyAsync(state => Planner.PlanRestore(request, state), approve, warn, cancellationToken);
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

    /// <summary>
    /// The error for change records that carry no BackupId: they wrote nothing (already in force, declined, a manual
    /// step), so there is nothing of theirs to undo, and undoing the newest change instead would undo another one.
    /// </summary>
    public static UsernsException NoBackupIdGiven(int records) => new(
        "NoBackupIdInInput",
        UsernsErrorCategory.InvalidArgument,
        records == 1
            ? "Nothing was restored: the record given carries no BackupId. A change that was already in force, declined or left "
                + "for a manual step wrote nothing, so there is nothing to undo (Get-UsernsBackup lists what can be undone)."
            : $"Nothing was restored: none of the {records.ToString(System.Globalization.CultureInfo.InvariantCulture)} records given carries "
                + "a BackupId. Changes that were already in force, declined or left for a manual step wrote nothing, so there is nothing "
                + "to undo (Get-UsernsBackup lists what can be undone).");

    private static UsernsException NotFound(string id, FrontEndWords words) =>
        new("BackupNotFound", UsernsErrorCategory.ObjectNotFound, $"There is no backup '{id}' ({words.Backups} lists them).", id);
}
