using System.Management.Automation;
using UsernsTools.Platform;

namespace UsernsTools.Module.Commands;

/// <summary>
/// What every UsernsTools cmdlet shares: cancellation that Ctrl+C reaches at once, a synchronous bridge to the
/// asynchronous engine, and the translation of engine errors into ErrorRecords a script can match on.
/// </summary>
public abstract class UsernsCmdletBase : PSCmdlet, IDisposable
{
    // A cmdlet object serves exactly one invocation, so one source per object is one per invocation.
    private readonly CancellationTokenSource _cancellation = new();
    private bool _disposed;

    /// <summary>Cancelled when the pipeline is stopped (Ctrl+C, Select-Object -First, a timeout of the caller).</summary>
    protected CancellationToken CancellationToken => _cancellation.Token;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _cancellation.Dispose();
        }

        _disposed = true;
    }

    protected override void StopProcessing() => _cancellation.Cancel();

    /// <summary>
    /// Runs an engine operation on the pipeline thread and waits for it. The engine awaits without capturing a
    /// context, so blocking here cannot deadlock; a stop request surfaces as the pipeline being stopped.
    /// </summary>
    protected T RunEngine<T>(Func<CancellationToken, Task<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            return operation(_cancellation.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>
    /// Turns a PowerShell path (relative, ~, PSDrive) into a file-system path without requiring it to exist. A path of
    /// another provider (env:, variable:, function:) is refused: its provider path is no file ("" for env:, which would
    /// make -Root the machine's own /).
    /// </summary>
    protected string ResolveFileSystemPath(string path, string parameterName)
    {
        try
        {
            var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            if (!IsFileSystem(provider))
            {
                throw new NotSupportedException($"it belongs to the {provider.Name} provider.");
            }

            return resolved;
        }
        catch (Exception ex) when (ex is SessionStateException or ProviderInvocationException or NotSupportedException)
        {
            ThrowTerminatingError(NotFileSystemPath(path, parameterName, ex.Message, ex));
            throw; // not reached: ThrowTerminatingError always throws
        }
    }

    /// <summary>
    /// The PathNotFileSystem error for <paramref name="path"/> of -<paramref name="parameterName"/>, saying why. The whole
    /// sentence is in the exception too: a script's catch block logs $_.Exception.Message, not the details.
    /// </summary>
    protected static ErrorRecord NotFileSystemPath(string path, string parameterName, string reason, Exception? inner = null)
    {
        var message = $"-{parameterName} '{path}' is not a file-system path: {reason}";
        return new ErrorRecord(new ArgumentException(message, inner), "PathNotFileSystem", ErrorCategory.InvalidArgument, path)
        {
            ErrorDetails = new ErrorDetails(message),
        };
    }

    /// <summary>Whether paths of <paramref name="provider"/> are files: those of env:, variable: or function: are not.</summary>
    protected static bool IsFileSystem(ProviderInfo provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return string.Equals(provider.Name, "FileSystem", StringComparison.Ordinal);
    }

    /// <summary>
    /// Resolves -Root and stops the cmdlet when it is not an existing folder: every item would be read from (or written
    /// to) a machine that is not there, and an empty answer would look like a real one.
    /// </summary>
    protected string ResolveRoot(string root)
    {
        var resolved = ResolveFileSystemPath(root, "Root");
        try
        {
            RootedPath.RequireRoot(resolved);
        }
        catch (UsernsException ex)
        {
            ThrowUsernsError(ex);
        }

        return resolved;
    }

    /// <summary>Reports an error about one item and lets the cmdlet go on with the next.</summary>
    protected void WriteUsernsError(UsernsException exception) => WriteError(ToErrorRecord(exception));

    /// <summary>Stops the cmdlet: the input cannot be used at all.</summary>
    protected void ThrowUsernsError(UsernsException exception) => ThrowTerminatingError(ToErrorRecord(exception));

    /// <summary>The engine's error id, category and offending value, with its message as the sentence the user reads.</summary>
    public static ErrorRecord ToErrorRecord(UsernsException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new ErrorRecord(exception, exception.ErrorId, ToErrorCategory(exception.Category), exception.TargetValue)
        {
            ErrorDetails = new ErrorDetails(exception.Message),
        };
    }

    public static ErrorCategory ToErrorCategory(UsernsErrorCategory category) => category switch
    {
        UsernsErrorCategory.InvalidArgument => ErrorCategory.InvalidArgument,
        UsernsErrorCategory.ObjectNotFound => ErrorCategory.ObjectNotFound,
        UsernsErrorCategory.PermissionDenied => ErrorCategory.PermissionDenied,
        UsernsErrorCategory.InvalidData => ErrorCategory.InvalidData,
        UsernsErrorCategory.NotInstalled => ErrorCategory.NotInstalled,
        UsernsErrorCategory.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        UsernsErrorCategory.OperationTimeout => ErrorCategory.OperationTimeout,
        UsernsErrorCategory.WriteError => ErrorCategory.WriteError,
        UsernsErrorCategory.ReadError => ErrorCategory.ReadError,
        UsernsErrorCategory.InvalidOperation => ErrorCategory.InvalidOperation,
        _ => ErrorCategory.NotSpecified,
    };
}
