using System.ComponentModel;
using System.Diagnostics;

namespace UsernsTools.Platform;

/// <summary>
/// Starts helper processes with an argument list, a timeout and cancellation; on either it kills the
/// whole process tree so nothing outlives the call.
/// </summary>
internal sealed class ProcessRunner : IProcessRunner
{
    public static ProcessRunner Instance { get; } = new();

    /// <summary>Messages from util-linux and bubblewrap must be parsed in English whatever the user's locale.</summary>
    public static IReadOnlyDictionary<string, string?> CLocale { get; } = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["LC_ALL"] = "C",
        ["LANG"] = "C",
        ["LANGUAGE"] = null,
    };

    public async Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Argv.Count == 0)
        {
            throw new UsernsException("EmptyCommand", UsernsErrorCategory.InvalidArgument, "No command to run.");
        }

        var psi = new ProcessStartInfo(request.Argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        for (var i = 1; i < request.Argv.Count; i++)
        {
            psi.ArgumentList.Add(request.Argv[i]);
        }

        if (request.WorkingDirectory is not null)
        {
            psi.WorkingDirectory = request.WorkingDirectory;
        }

        if (request.Environment is not null)
        {
            foreach (var (key, value) in request.Environment)
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
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        try
        {
            // From the spawner thread: a probe's parent-death signal (bwrap --die-with-parent, as Flatpak passes it)
            // must not fire because a thread-pool thread retired while it ran.
            await Sandbox.ProcessSpawner.StartAsync(process).ConfigureAwait(false);
        }
        catch (Win32Exception ex)
        {
            return new ProcessResult(false, null, "", "", false, false, stopwatch.Elapsed, ex.Message);
        }

        // Process.Dispose leaves the streams it handed out open: close our ends of the pipes on every path.
        using var outputReader = process.StandardOutput;
        using var errorReader = process.StandardError;
        using var inputWriter = process.StandardInput;
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            if (request.StandardInput is not null)
            {
                await process.StandardInput.WriteAsync(request.StandardInput).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The helper exited without reading its input; its exit status tells the rest.
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        var timedOut = false;
        var cancelled = false;
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            cancelled = cancellationToken.IsCancellationRequested;
            timedOut = !cancelled;
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var output = await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        stopwatch.Stop();
        int? exitCode = timedOut || cancelled ? null : process.ExitCode;
        return new ProcessResult(true, exitCode, output, error, timedOut, cancelled, stopwatch.Elapsed, null);
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
