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
        var journal = new Journal(context.Root, context.Words);
        if (backupId is not null)
        {
            var record = journal.Find(backupId) ?? throw NotFound(backupId, context.Words);
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

        // The record is chosen by the plan, which runs again under the lock: a concurrent restore is seen there.
        return new Applier(context).ApplyAsync(state => Planner.PlanRestore(request, state), approve, warn, cancellationToken);
    }

    /// <summary>The plan an operation would apply now, for previews that need no approval callback.</summary>
    public static ChangePlan Preview(Func<ConfigurationState, ChangePlan> plan, ConfigurationContext context)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan(ConfigurationReader.Read(context));
    }

    private static UsernsException NotFound(string id, FrontEndWords words) =>
        new("BackupNotFound", UsernsErrorCategory.ObjectNotFound, $"There is no backup '{id}' ({words.Backups} lists them).", id);
}
