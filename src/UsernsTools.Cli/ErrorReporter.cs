using UsernsTools.Platform;

namespace UsernsTools.Cli;

/// <summary>Turns an engine error into one line on stderr and a documented exit code.</summary>
internal static class ErrorReporter
{
    public static int Report(UsernsException exception, TextWriter stderr)
    {
        stderr.WriteLine($"usernstools: {exception.Message} [{exception.ErrorId}]");
        return exception.ErrorId switch
        {
            "UnknownUser" => ExitCodes.NoUser,
            "ProgramNotFound" => ExitCodes.ProgramNotFound,
            _ => exception.Category switch
            {
                UsernsErrorCategory.InvalidArgument => ExitCodes.Usage,
                UsernsErrorCategory.InvalidData => ExitCodes.DataError,
                UsernsErrorCategory.ObjectNotFound => ExitCodes.NoInput,
                UsernsErrorCategory.PermissionDenied => ExitCodes.NoPermission,
                UsernsErrorCategory.NotInstalled => ExitCodes.ServiceUnavailable,
                UsernsErrorCategory.ResourceUnavailable => ExitCodes.ServiceUnavailable,
                UsernsErrorCategory.WriteError => ExitCodes.CannotCreate,
                UsernsErrorCategory.OperationTimeout => ExitCodes.ServiceUnavailable,
                UsernsErrorCategory.InvalidOperation => ExitCodes.Configuration,
                _ => ExitCodes.Software,
            },
        };
    }

    /// <summary>The same one line, with the exit codes the DSC resource manifest declares.</summary>
    public static int ReportDsc(UsernsException exception, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(exception);
        stderr.WriteLine($"usernstools: {exception.Message} [{exception.ErrorId}]");
        return exception.Category switch
        {
            UsernsErrorCategory.InvalidArgument or UsernsErrorCategory.InvalidData => DscExitCodes.InvalidInput,
            UsernsErrorCategory.PermissionDenied => DscExitCodes.PermissionDenied,
            _ => DscExitCodes.Error,
        };
    }
}
