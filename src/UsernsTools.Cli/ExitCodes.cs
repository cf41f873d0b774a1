namespace UsernsTools.Cli;

/// <summary>
/// Exit codes of <c>usernstools</c>. 0-2 carry each command's answer (see the command's help); the rest follow
/// sysexits.h so that scripts can tell a bad call from a broken machine.
/// </summary>
internal static class ExitCodes
{
    /// <summary>status: Available; test-*: the probe succeeded; other commands: success.</summary>
    public const int Success = 0;

    /// <summary>status: Limited.</summary>
    public const int Limited = 1;

    /// <summary>status: Unavailable.</summary>
    public const int Unavailable = 2;

    /// <summary>run: --timeout ended the program (as coreutils timeout reports it).</summary>
    public const int TimedOut = 124;

    /// <summary>The command line is wrong (unknown option, missing value).</summary>
    public const int Usage = 64;

    /// <summary>Input data is wrong (a corrupt report, a bad value).</summary>
    public const int DataError = 65;

    /// <summary>An input file does not exist.</summary>
    public const int NoInput = 66;

    /// <summary>The user named does not exist.</summary>
    public const int NoUser = 67;

    /// <summary>A required tool is not installed or a resource is unavailable.</summary>
    public const int ServiceUnavailable = 69;

    /// <summary>An internal error (a bug): please report it.</summary>
    public const int Software = 70;

    /// <summary>A file could not be written.</summary>
    public const int CannotCreate = 73;

    /// <summary>A file could not be read for a reason other than permissions.</summary>
    public const int IoError = 74;

    /// <summary>Permission denied (run with sudo).</summary>
    public const int NoPermission = 77;

    /// <summary>
    /// The machine's configuration stops the change: another sysctl file would still win at boot (use --force),
    /// an interrupted change is pending (restore it first), or only a boot option can do it.
    /// </summary>
    public const int Configuration = 78;

    /// <summary>run: the program was found but cannot be executed (as env, timeout and the shells report it).</summary>
    public const int ProgramNotExecutable = 126;

    /// <summary>run: the program was not found (as env, timeout and the shells report it).</summary>
    public const int ProgramNotFound = 127;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Interrupted = 130;
}
