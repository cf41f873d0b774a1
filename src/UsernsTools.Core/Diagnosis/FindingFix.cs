using UsernsTools.Configuration;

namespace UsernsTools.Diagnosis;

/// <summary>
/// What fixes a finding, as data: each front end renders it in its own words, so the cmdlets show a cmdlet and the
/// command line shows a command a shell user can run.
/// </summary>
internal sealed record FindingFix
{
    private FindingFix(string? setting, string? value, ChangeScope scope, IReadOnlyList<string> programs)
    {
        Setting = setting;
        Value = value;
        Scope = scope;
        Programs = programs;
    }

    /// <summary>The sysctl to set, for a setting fix.</summary>
    public string? Setting { get; }

    public string? Value { get; }

    public ChangeScope Scope { get; }

    /// <summary>The programs that get their own AppArmor profile with <c>userns,</c>, for a profile fix.</summary>
    public IReadOnlyList<string> Programs { get; }

    /// <summary>Set a sysctl now and at boot (or only in the scopes given).</summary>
    public static FindingFix Set(string setting, string value, ChangeScope scope = ChangeScope.Runtime | ChangeScope.Persistent) =>
        new(setting, value, scope, Array.Empty<string>());

    /// <summary>Give each program its own AppArmor profile with <c>userns,</c>.</summary>
    public static FindingFix Profiles(IEnumerable<string> programs) =>
        new(null, null, ChangeScope.None, programs.Distinct(StringComparer.Ordinal).ToArray());

    /// <summary>The command line in a front end's words.</summary>
    public string Render(FrontEndWords words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return Setting is not null && Value is not null ? words.SetSetting(Setting, Value, Scope) : words.EnableProfiles(Programs);
    }
}
