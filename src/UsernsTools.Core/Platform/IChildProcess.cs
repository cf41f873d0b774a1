namespace UsernsTools.Platform;

/// <summary>A started child process as the sandbox runner uses it, whichever way it was started.</summary>
internal interface IChildProcess : IDisposable
{
    int Id { get; }

    /// <summary>Our end of its stdin (only when the streams are redirected).</summary>
    StreamWriter StandardInput { get; }

    StreamReader StandardOutput { get; }

    StreamReader StandardError { get; }

    bool HasExited { get; }

    /// <summary>Its exit status, or 128+N when signal N killed it (as System.Diagnostics.Process reports it).</summary>
    int ExitCode { get; }

    Task WaitForExitAsync(CancellationToken cancellationToken);
}
