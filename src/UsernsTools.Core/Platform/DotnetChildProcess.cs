using System.Diagnostics;

namespace UsernsTools.Platform;

/// <summary>A child started through System.Diagnostics.Process (every word of its argv and environment is UTF-8).</summary>
internal sealed class DotnetChildProcess : IChildProcess
{
    private readonly Process _process;

    public DotnetChildProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public StreamWriter StandardInput => _process.StandardInput;

    public StreamReader StandardOutput => _process.StandardOutput;

    public StreamReader StandardError => _process.StandardError;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public void Dispose() => _process.Dispose();
}
