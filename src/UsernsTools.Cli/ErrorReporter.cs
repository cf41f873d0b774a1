using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using UsernsTools.Platform;
using UsernsTools.Sandbox;

namespace UsernsTools.Cli;

/// <summary>Turns an engine error into one line on stderr and a documented exit code.</summary>
internal static class ErrorReporter
{
    /// <summary>One line on stderr, <c>usernstools: message [ErrorId]</c>, and the exit code README lists for its category.</summary>
    public static int Report(UsernsException exception, TextWriter stderr)
    {
        stderr.WriteLine($"usernstools: {exception.Message} [{exception.ErrorId}]");
        return exception.ErrorId switch
        {
            "UnknownUser" => ExitCodes.NoUser,
            SandboxErrorIds.ProgramNotFound => ExitCodes.ProgramNotFound,
            SandboxErrorIds.ProgramNotExecutable => ExitCodes.ProgramNotExecutable,
            _ => exception.Category switch
            {
                UsernsErrorCategory.InvalidArgument => ExitCodes.Usage,
                UsernsErrorCategory.InvalidData => ExitCodes.DataError,
                UsernsErrorCategory.ObjectNotFound => ExitCodes.NoInput,
                UsernsErrorCategory.PermissionDenied => ExitCodes.NoPermission,
                UsernsErrorCategory.NotInstalled => ExitCodes.ServiceUnavailable,
                UsernsErrorCategory.ResourceUnavailable => ExitCodes.ServiceUnavailable,
                UsernsErrorCategory.WriteError => ExitCodes.CannotCreate,
                UsernsErrorCategory.ReadError => ExitCodes.IoError,
                UsernsErrorCategory.OperationTimeout => ExitCodes.ServiceUnavailable,
                UsernsErrorCategory.InvalidOperation => ExitCodes.Configuration,
                _ => ExitCodes.Software,
            },
        };
    }

    /// <summary>
    /// The same error for <c>usernstools dsc</c>, with the exit codes its manifest declares: one JSON line on stderr,
    /// <c>{"error": "..."}</c>, which DSC logs as the resource's error (with declared exit codes DSC otherwise shows
    /// only the code's description). The advice in it is in DSC's words (FrontEndWords.ForDsc).
    /// </summary>
    public static int ReportDsc(UsernsException exception, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(stderr);
        stderr.WriteLine(DscErrorLine($"{exception.Message} [{exception.ErrorId}]"));
        return exception.Category switch
        {
            UsernsErrorCategory.InvalidArgument or UsernsErrorCategory.InvalidData => DscExitCodes.InvalidInput,
            UsernsErrorCategory.PermissionDenied => DscExitCodes.PermissionDenied,
            _ => DscExitCodes.Error,
        };
    }

    /// <summary><c>{"error": message}</c>, as DSC reads a resource's error from stderr.</summary>
    public static string DscErrorLine(string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("error", message);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
