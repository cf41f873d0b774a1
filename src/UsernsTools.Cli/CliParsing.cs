using UsernsTools.Configuration;

namespace UsernsTools.Cli;

/// <summary>The lower-case words of the command line for the engine's enums.</summary>
internal static class CliParsing
{
    public static readonly string[] ScopeWords = { "runtime", "persistent", "both" };

    public static readonly string[] MethodWords = { "auto", "apparmor", "sysctl" };

    public static ChangeScope Scope(string? word) => word switch
    {
        "runtime" => ChangeScope.Runtime,
        "persistent" => ChangeScope.Persistent,
        _ => ChangeScope.Runtime | ChangeScope.Persistent,
    };

    public static EnableMethod Method(string? word) => word switch
    {
        "apparmor" => EnableMethod.AppArmorProfile,
        "sysctl" => EnableMethod.Sysctl,
        _ => EnableMethod.Auto,
    };
}
