using System.CommandLine;

namespace UsernsTools.Cli;

/// <summary>Options that several commands share, so they are spelled and described the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string?> User() => new("--user", "-u")
    {
        Description = "User name or uid to diagnose (default: the sudo caller, else nobody when run as root, else yourself).",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Write JSON (camelCase, enums as strings) instead of text.",
    };

    public static Option<string> Root() => new("--root")
    {
        Description = "File-system root to read configuration from (default: /).",
        DefaultValueFactory = _ => "/",
    };

    public static Option<double> Timeout() => new("--timeout")
    {
        Description = "Seconds each probe may take before it is stopped (default: 5).",
        DefaultValueFactory = _ => 5,
    };
}
