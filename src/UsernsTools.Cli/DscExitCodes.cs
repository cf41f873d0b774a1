namespace UsernsTools.Cli;

/// <summary>
/// Exit codes of <c>usernstools dsc</c>, exactly as usernstools.dsc.resource.json declares them for DSC: DSC
/// shows the manifest's text for the code, so these differ from the sysexits codes of the other commands.
/// </summary>
internal static class DscExitCodes
{
    public const int Success = 0;

    /// <summary>Anything else that went wrong (a write failed, another file wins at boot, a bug).</summary>
    public const int Error = 1;

    /// <summary>The JSON on stdin, a name or a value is wrong; also a wrong dsc command line.</summary>
    public const int InvalidInput = 2;

    /// <summary>Changing the setting needs root.</summary>
    public const int PermissionDenied = 3;
}
