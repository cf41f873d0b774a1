using System.Management.Automation;
using System.Reflection;

namespace UsernsTools.Module.Commands;

/// <summary>
/// The three things pwsh does for a native command that the public cmdlet API cannot do, reached in the engine
/// the way pwsh's own NativeCommandProcessor reaches them (members unchanged from 7.4.0 to 7.6):
/// <list type="bullet">
/// <item>a stderr line goes to the error stream as a record that leaves <c>$?</c>, <c>-ErrorAction</c>,
/// <c>$ErrorActionPreference</c>, <c>$Error</c> and <c>-ErrorVariable</c> alone
/// (<c>MshCommandRuntime._WriteErrorSkipAllowCheck(record, null, isFromNativeStdError: true)</c>), where
/// <c>Cmdlet.WriteError</c> always sets <c>$?</c> to False and throws under Stop;</item>
/// <item>a non-zero exit code makes <c>$?</c> False without writing any error
/// (<c>PipelineProcessor.ExecutionFailed = true</c>); the only public way to make <c>$?</c> False is to write an
/// error record, which pwsh writes only under <c>$PSNativeCommandUseErrorActionPreference</c>;</item>
/// <item>that error's exception is a <c>NativeCommandExitException</c>, whose constructor is internal.</item>
/// </list>
/// When a member is missing (a future pwsh, or a host with its own ICommandRuntime) each falls back to the
/// nearest public behaviour: <c>WriteError</c>, <c>$?</c> left True, a <c>RuntimeException</c>. A module test
/// checks that the members are found in the pinned pwsh.
/// </summary>
internal static class NativeCommandRuntime
{
    private const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    private static readonly Assembly s_engine = typeof(PSObject).Assembly;
    private static readonly Type? s_runtimeType = s_engine.GetType("System.Management.Automation.MshCommandRuntime");
    private static readonly MethodInfo? s_writeError = s_runtimeType?.GetMethod(
        "_WriteErrorSkipAllowCheck", Members, null, new[] { typeof(ErrorRecord), typeof(ActionPreference?), typeof(bool) }, null);

    private static readonly PropertyInfo? s_pipelineProcessor = s_runtimeType?.GetProperty("PipelineProcessor", Members);
    private static readonly PropertyInfo? s_executionFailed = s_pipelineProcessor?.PropertyType.GetProperty("ExecutionFailed", Members);
    private static readonly ConstructorInfo? s_exitException = s_engine.GetType("System.Management.Automation.NativeCommandExitException")?.GetConstructor(
        Members, null, new[] { typeof(string), typeof(int), typeof(int), typeof(string), typeof(string) }, null);

    /// <summary>True when every engine member was found, so the cmdlet behaves exactly like a native command.</summary>
    public static bool IsComplete => s_writeError is not null && s_executionFailed is not null && s_exitException is not null;

    /// <summary>Writes a stderr line's record as pwsh writes a native command's: to the error stream only.</summary>
    public static void WriteStandardError(Cmdlet cmdlet, ErrorRecord record)
    {
        var runtime = cmdlet.CommandRuntime;
        if (s_writeError is not null && s_runtimeType!.IsInstanceOfType(runtime))
        {
            s_writeError.Invoke(runtime, BindingFlags.DoNotWrapExceptions, null, new object?[] { record, null, true }, null);
            return;
        }

        cmdlet.WriteError(record);
    }

    /// <summary>Makes <c>$?</c> False after this command, as a non-zero exit code does for a native command.</summary>
    public static void MarkFailed(Cmdlet cmdlet)
    {
        var runtime = cmdlet.CommandRuntime;
        if (s_executionFailed is not null && s_runtimeType!.IsInstanceOfType(runtime) && s_pipelineProcessor!.GetValue(runtime) is { } pipeline)
        {
            s_executionFailed.SetValue(pipeline, true);
        }
    }

    /// <summary>The exception pwsh puts in a ProgramExitedWithNonZeroCode error.</summary>
    public static Exception CreateExitException(string path, int exitCode, int processId, string message, string errorId) =>
        s_exitException?.Invoke(BindingFlags.DoNotWrapExceptions, null, new object[] { path, exitCode, processId, message, errorId }, null) as Exception
        ?? new RuntimeException(message);
}
