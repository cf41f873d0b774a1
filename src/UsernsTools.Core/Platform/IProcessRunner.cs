namespace UsernsTools.Platform;

/// <summary>Runs an argv (never a shell string) and collects its output.</summary>
internal interface IProcessRunner
{
    Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken);
}
