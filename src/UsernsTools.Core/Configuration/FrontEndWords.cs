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

    private FrontEndWords(string restore, string backups, string force, string appArmorMethod, string program, string set)
    {
        _restore = restore;
        _backups = backups;
        Force = force;
        AppArmorMethod = appArmorMethod;
        Program = program;
        Set = set;
    }

    /// <summary>The cmdlets' words (the default: the engine's first front end).</summary>
    public static FrontEndWords Cmdlets { get; } = ForCmdlets("/");

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
        new("Restore-UsernsConfiguration -BackupId {0}" + RootSuffix(root, "-Root", PowerShellQuote), "Get-UsernsBackup" + RootSuffix(root, "-Root", PowerShellQuote), "-Force", "-Method AppArmorProfile", "-ProgramPath", "Set-UsernsSetting");

    public static FrontEndWords ForCli(string root) =>
        new("usernstools restore {0}" + RootSuffix(root, "--root", ArgvText.Quote), "usernstools backups" + RootSuffix(root, "--root", ArgvText.Quote), "--force", "--method apparmor", "--program", "usernstools set");

    /// <summary>The DSC resource's words: its input's <c>force</c> property; the journal is still read and undone with the command line.</summary>
    public static FrontEndWords ForDsc(string root) =>
        new("usernstools restore {0}" + RootSuffix(root, "--root", ArgvText.Quote), "usernstools backups" + RootSuffix(root, "--root", ArgvText.Quote), "\"force\": true in the instance", "--method apparmor", "--program", "usernstools dsc set");

    /// <summary>The command that undoes (or, for an interrupted record, finishes or rolls back) record <paramref name="id"/>.</summary>
    public string Restore(string id) => string.Format(CultureInfo.InvariantCulture, _restore, id);

    private static string RootSuffix(string root, string option, Func<string, string> quote) =>
        MachineRoot.IsLive(root) ? "" : " " + option + " " + quote(root).Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

    private static string PowerShellQuote(string word) => "'" + word.Replace("'", "''", StringComparison.Ordinal) + "'";
}
