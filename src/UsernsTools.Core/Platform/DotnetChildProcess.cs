using System.Diagnostics;
using System.Text;

namespace UsernsTools.Platform;

/// <summary>A child started through System.Diagnostics.Process (every word of its argv and environment is UTF-8).</summary>
internal sealed class DotnetChildProcess : IChildProcess
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Process _process;
    private StreamReader? _standardOutput;
    private StreamReader? _standardError;

    public DotnetChildProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public StreamWriter StandardInput => _process.StandardInput;

    /// <summary>
    /// Its output as UTF-8, whatever its first bytes are: Process's own reader takes FF FE or FE FF at the start for a
    /// byte order mark and reads the rest as UTF-16 (and drops a UTF-8 one); the program's bytes are what it wrote.
    /// </summary>
    public StreamReader StandardOutput => _standardOutput ??= Utf8(_process.StandardOutput);

    public StreamReader StandardError => _standardError ??= Utf8(_process.StandardError);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public void Dispose()
    {
        _standardOutput?.Dispose();
        _standardError?.Dispose();
        _process.Dispose();
    }

    private static StreamReader Utf8(StreamReader reader) => new(reader.BaseStream, s_utf8, detectEncodingFromByteOrderMarks: false);
}
