using System.Globalization;
using UsernsTools.Platform;
using UsernsTools.Sandbox;

namespace UsernsTools.Configuration;

/// <summary>
/// The commands a front end's user types, so that advice in an engine error names something they can run: the
/// cmdlets speak of Restore-UsernsConfiguration and -Force, the command line of <c>usernstools restore</c> and
/// <c>--force</c>. A root other than <c>/</c> is part of the command, or the advice would act on the wrong machine.
/// </summary>
internal sealed class FrontEndWords
{
    private readonly string _restore;
    private readonly string _backups;

    private FrontEndWords(string restore, string backups, string force, string appArmorMethod, string program, string set, bool commandLine = true)
    {
        IsCommandLine = commandLine;
        _restore = restore;
        _backups = backups;
        Force = force;
        AppArmorMethod = appArmorMethod;
        Program = program;
        Set = set;
    }

    /// <summary>The cmdlets' words (the default: the engine's first front end).</summary>
    public static FrontEndWords Cmdlets { get; } = ForCmdlets("/");

    /// <summary>The command line's words for this machine.</summary>
    public static FrontEndWords Cli { get; } = ForCli("/");

    /// <summary>True for the shell command (and the DSC resource run through it), false for the cmdlets.</summary>
    public bool IsCommandLine { get; }

    /// <summary>The command that diagnoses, e.g. <c>Get-UsernsStatus</c>.</summary>
    public string Status => IsCommandLine ? "usernstools status" : "Get-UsernsStatus";

    /// <summary>The switch that skips the probes.</summary>
    public string NoProbe => IsCommandLine ? "--no-probe" : "-NoProbe";

    /// <summary>The option that names the user to diagnose.</summary>
    public string User => IsCommandLine ? "--user" : "-User";

    /// <summary>The command that lists the denials in the kernel and audit logs.</summary>
    public string Denials => IsCommandLine ? "usernstools denials" : "Get-UsernsDenial";

    /// <summary>The command that runs a program in new namespaces.</summary>
    public string Run => IsCommandLine ? "usernstools run" : "Invoke-NamespacedProcess";

    /// <summary>The option of <see cref="Run"/> that mounts a new /proc.</summary>
    public string MountProc => IsCommandLine ? "--mount-proc" : "-MountProc";

    /// <summary>The command line that sets one sysctl in the given scopes.</summary>
    public string SetSetting(string name, string value, ChangeScope scope)
    {
        return IsCommandLine
            ? CommandLineSet("usernstools set", name, value, scope)
            : $"Set-UsernsSetting -Name {PowerShellArgument(name)} -Value {PowerShellArgument(value)} -Scope {CmdletScope(scope)}";
    }

    /// <summary>
    /// How a change is named in the journal (<see cref="JournalRecord.Operation"/>): the command that made it, in the words
    /// of the front end it was made with, as its user would type it again.
    /// </summary>
    public string SetOperation(string name, string value, ChangeScope scope) =>
        IsCommandLine ? CommandLineSet(Set, name, value, scope) : SetSetting(name, value, scope);

    /// <inheritdoc cref="SetOperation"/>
    public string EnableOperation(EnableMethod method, IReadOnlyList<string> programs)
    {
        ArgumentNullException.ThrowIfNull(programs);
        if (IsCommandLine)
        {
            var word = method switch
            {
                EnableMethod.AppArmorProfile => " --method apparmor",
                EnableMethod.Sysctl => " --method sysctl",
                _ => "",
            };
            return "usernstools enable" + word + string.Concat(programs.Select(p => " --program " + ArgvText.Quote(p)));
        }

        return $"Enable-UnprivilegedUserns -Method {method}" + (programs.Count == 0 ? "" : " -ProgramPath " + string.Join(",", programs.Select(PowerShellArgument)));
    }

    /// <inheritdoc cref="SetOperation"/>
    public string DisableOperation(ChangeScope scope) =>
        IsCommandLine ? "usernstools disable" + CommandLineScope(scope) : "Disable-UnprivilegedUserns -Scope " + CmdletScope(scope);

    /// <inheritdoc cref="SetOperation"/>
    /// <remarks>Without the root, as the other operations: the record lives below the root it was made for.</remarks>
    public string RestoreOperation(string id) => IsCommandLine ? "usernstools restore " + id : "Restore-UsernsConfiguration -BackupId " + id;

    private static string CommandLineSet(string command, string name, string value, ChangeScope scope) =>
        $"{command} {ArgvText.Quote(name)} {ArgvText.Quote(value)}{CommandLineScope(scope)}";

    private static string CommandLineScope(ChangeScope scope) => (scope & (ChangeScope.Runtime | ChangeScope.Persistent)) switch
    {
        // "both" is the commands' default scope.
        ChangeScope.Runtime => " --scope runtime",
        ChangeScope.Persistent => " --scope persistent",
        _ => "",
    };

    private static string CmdletScope(ChangeScope scope) => (scope & (ChangeScope.Runtime | ChangeScope.Persistent)) switch
    {
        ChangeScope.Runtime => "Runtime",
        ChangeScope.Persistent => "Persistent",
        _ => "Runtime,Persistent",
    };

    /// <summary>The command line that gives each program its own AppArmor profile with <c>userns,</c>.</summary>
    public string EnableProfiles(IEnumerable<string> programs)
    {
        ArgumentNullException.ThrowIfNull(programs);
        var list = programs.Distinct(StringComparer.Ordinal).ToList();
        return IsCommandLine
            ? "usernstools enable --method apparmor" + string.Concat(list.Select(p => " --program " + ArgvText.Quote(p)))
            : "Enable-UnprivilegedUserns -Method AppArmorProfile" + (list.Count == 0 ? "" : " -ProgramPath " + string.Join(",", list.Select(PowerShellArgument)));
    }

    /// <summary>The switch that goes ahead despite a check, e.g. <c>-Force</c>.</summary>
    public string Force { get; }

    /// <summary>The choice of per-program AppArmor profiles only, e.g. <c>-Method AppArmorProfile</c>.</summary>
    public string AppArmorMethod { get; }

    /// <summary>The option that names a program to exempt, e.g. <c>-ProgramPath</c>.</summary>
    public string Program { get; }

    /// <summary>The command that sets one setting, e.g. <c>Set-UsernsSetting</c>.</summary>
    public string Set { get; }

    /// <summary>The command that lists the journal.</summary>
    public string Backups => _backups;

    public static FrontEndWords ForCmdlets(string root) =>
        new("Restore-UsernsConfiguration -BackupId {0}" + RootSuffix(root, "-Root", PowerShellQuote), "Get-UsernsBackup" + RootSuffix(root, "-Root", PowerShellQuote), "-Force", "-Method AppArmorProfile", "-ProgramPath", "Set-UsernsSetting", commandLine: false);

    public static FrontEndWords ForCli(string root) =>
        new("usernstools restore {0}" + RootSuffix(root, "--root", ArgvText.Quote), "usernstools backups" + RootSuffix(root, "--root", ArgvText.Quote), "--force", "--method apparmor", "--program", "usernstools set");

    /// <summary>The DSC resource's words: its input's <c>force</c> property; the journal is still read and undone with the command line.</summary>
    public static FrontEndWords ForDsc(string root) =>
        new("usernstools restore {0}" + RootSuffix(root, "--root", ArgvText.Quote), "usernstools backups" + RootSuffix(root, "--root", ArgvText.Quote), "\"force\": true in the instance", "--method apparmor", "--program", "usernstools dsc set");

    /// <summary>The command that undoes (or, for an interrupted record, finishes or rolls back) record <paramref name="id"/>.</summary>
    public string Restore(string id) => string.Format(CultureInfo.InvariantCulture, _restore, id);

    private static string RootSuffix(string root, string option, Func<string, string> quote) =>
        MachineRoot.IsLive(root) ? "" : " " + option + " " + quote(root).Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

    /// <summary>A word as a PowerShell command argument: bare when it cannot be read as anything else, else single-quoted.</summary>
    private static string PowerShellArgument(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '+') && word[0] != '-'
            ? word
            : PowerShellQuote(word);

    private static string PowerShellQuote(string word) => "'" + word.Replace("'", "''", StringComparison.Ordinal) + "'";
}
