using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using UsernsTools.Platform;

namespace UsernsTools.Facts.Denials;

/// <summary>
/// A helper (journalctl, dmesg) whose standard output is read as a stream, so a large log is never held in memory
/// (ProcessRunner collects output whole). Disposing kills the helper if it is still running.
/// </summary>
internal sealed class StreamingProcess : IDisposable
{
    private const int MaxStandardError = 4096;
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private StreamingProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                if (e.Data is not null && _stderr.Length < MaxStandardError)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>Starts the argv with the C locale; null with the reason when it cannot be started.</summary>
    public static StreamingProcess? TryStart(IReadOnlyList<string> argv, out string? error)
    {
        var psi = new ProcessStartInfo(argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        for (var i = 1; i < argv.Count; i++)
        {
            psi.ArgumentList.Add(argv[i]);
        }

        foreach (var (key, value) in ProcessRunner.CLocale)
        {
            if (value is null)
            {
                psi.Environment.Remove(key);
            }
            else
            {
                psi.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            error = ex.Message;
            return null;
        }

        error = null;
        return new StreamingProcess(process);
    }

    /// <summary>Waits for the exit after the output was read to its end; returns the exit code and standard error.</summary>
    public (int ExitCode, string StandardError) Finish()
    {
        _process.WaitForExit();
        lock (_stderr)
        {
            return (_process.ExitCode, _stderr.ToString().Trim());
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        // Process.Dispose leaves the streams it handed out open: close our end of the output pipe.
        _process.StandardOutput.Dispose();
        _process.Dispose();
    }
}
