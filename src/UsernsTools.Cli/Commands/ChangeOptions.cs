using System.CommandLine;

namespace UsernsTools.Cli.Commands;

/// <summary>The options of the commands that change the machine, spelled and described the same everywhere.</summary>
internal static class ChangeOptions
{
    public static Option<string> Root() => new("--root")
    {
        Description = "File-system root of the machine to change (default: /); journal, files and proc/sys are below it.",
        DefaultValueFactory = _ => "/",
    };

    public static Option<bool> Force() => new("--force")
    {
        Description = "Go ahead although another sysctl file still wins at boot, or an interrupted change is pending.",
    };

    public static Option<bool> DryRun() => new("--dry-run")
    {
        Description = "Print each planned change and write nothing.",
    };
}
