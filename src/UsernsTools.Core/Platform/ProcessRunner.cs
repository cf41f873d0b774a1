using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace UsernsTools.Platform;

/// <summary>
/// Starts helper processes with an argument list, a timeout and cancellation; on either it kills the
/// whole process tree so nothing outlives the call.
/// </summary>
internal sealed class ProcessRunner : IProcessRunner
{
    public static ProcessRunner Instance { get; } = new();

    /// <summary>How long the pipes of a killed tree may take to close: the kernel closes them as each process dies.</summary>
    private static readonly TimeSpan KilledTreeGrace = TimeSpan.FromSeconds(1);

    /// <summary>Messages from util-linux and bubblewrap must be parsed in English whatever the user's locale.</summary>
    public static IReadOnlyDictionary<string, string?> CLocale { get; } = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["LC_ALL"] = "C",
        ["LANG"] = "C",
        ["LANGUAGE"] = null,
    };

    /// <summary>
    /// Runs the helper on a thread of its own, which starts it (posix_spawn, see <see cref="HelperChild"/>), feeds its
    /// input, reads both of its pipes as they fill, and waits for it; the task completes on that thread when the helper is
    /// done. The thread is the helper's parent, so a parent-death signal (bwrap --die-with-parent, as Flatpak passes it)
    /// fires only when the thread ends, after the helper. Nothing waits on the thread pool or on asynchronous pipe reads in
    /// between: a cold start pays for neither.
    /// </summary>
    public Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Argv.Count == 0)
        {
            throw new UsernsException("EmptyCommand", UsernsErrorCategory.InvalidArgument, "No command to run.");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<ProcessResult>(cancellationToken);
        }

        var done = new TaskCompletionSource<ProcessResult>();
        var thread = new Thread(() =>
        {
            // A thread that left our working directory for a helper's, or is still another user, must run nothing of the
            // caller's: whatever awaits the result then runs on the thread pool.
            void Complete(Action complete)
            {
                if (HelperChild.ThreadLeftSharedDirectory)
                {
                    ThreadPool.QueueUserWorkItem(_ => complete());
                }
                else
                {
                    complete();
                }
            }

            try
            {
                var result = Run(request, cancellationToken);
                Complete(() => done.SetResult(result));
            }
            catch (CredentialsNotRestoredException ex)
            {
                ThreadPool.QueueUserWorkItem(_ => done.SetException(ex));
            }
#pragma warning disable CA1031 // Whatever failed belongs to the caller awaiting the task, not to this thread.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Complete(() => done.SetException(ex));
            }
        })
        {
            IsBackground = true,
            Name = "UsernsTools helper",
        };
        thread.Start();
        return done.Task;
    }

    private static ProcessResult Run(ProcessRequest request, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        if (Program(request) is not { } program)
        {
            return new ProcessResult(false, null, "", "", false, false, stopwatch.Elapsed, StartError(request, new Win32Exception(PosixNative.ENOENT)));
        }

        HelperChild child;
        try
        {
            child = HelperChild.Start(program, request);
        }
        catch (Win32Exception ex)
        {
            return new ProcessResult(false, null, "", "", false, false, stopwatch.Elapsed, StartError(request, ex));
        }

        using (child)
        {
            var pipes = new HelperPipes(
                child.Input,
                child.Output,
                child.Error,
                request.StandardInput is { Length: > 0 } input ? Encoding.UTF8.GetBytes(input) : null);
            var deadline = stopwatch.Elapsed + request.Timeout;
            var timedOut = false;
            var cancelled = false;
            using (var wake = cancellationToken.CanBeCanceled ? new CancellationWake(cancellationToken) : null)
            {
                switch (pipes.Drain(stopwatch, deadline, wake))
                {
                    case HelperPipes.Outcome.TimedOut:
                        timedOut = true;
                        break;
                    case HelperPipes.Outcome.Cancelled:
                        cancelled = true;
                        break;
                    default:
                        // Both pipes are closed; the helper may still be on its way out (or have left a child holding them).
                        var left = deadline - stopwatch.Elapsed;
                        if (!child.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero))
                        {
                            timedOut = true;
                        }

                        break;
                }
            }

            if (timedOut || cancelled)
            {
                child.KillTree();

                // What it wrote before it was killed (a helper's last words often say why it hung): the pipes end with the tree.
                pipes.Drain(stopwatch, stopwatch.Elapsed + KilledTreeGrace, null);
            }

            stopwatch.Stop();
            int? exitCode = timedOut || cancelled ? null : child.ExitCode;
            return new ProcessResult(true, exitCode, pipes.StandardOutput, pipes.StandardError, timedOut, cancelled, stopwatch.Elapsed, null);
        }
    }

    /// <summary>
    /// The file to run: a first word with a slash as it is, a bare name found on the PATH the helper is given (ours when the
    /// request sets none), as execvp would; null when no such program is there. Process would look in our working
    /// directory and beside our own executable first: a file named like a system tool (cat) in the directory the command
    /// is run from would run in its place.
    /// </summary>
    internal static string? Program(ProcessRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Argv[0];
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return name;
        }

        var path = request.Environment is { } environment && environment.TryGetValue("PATH", out var given)
            ? given
            : Environment.GetEnvironmentVariable("PATH");
        return PathLookup.Find(name, path);
    }

    /// <summary>
    /// What stopped the start, in the form the tools themselves use ("program: what: strerror"): the exception's own text
    /// is a resource key in the native build, and it does not say that switching to the user is what failed.
    /// </summary>
    private static string StartError(ProcessRequest request, Win32Exception ex)
    {
        var what = request.RunAs is { } user ? "cannot be started as " + user : "cannot be started";
        return request.Argv[0] + ": " + what + ": " + (ex.NativeErrorCode > 0 ? PosixNative.ErrorMessage(ex.NativeErrorCode) : ex.Message);
    }
}
