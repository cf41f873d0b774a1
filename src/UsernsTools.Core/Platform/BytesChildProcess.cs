using System.IO.Pipes;
using System.Text;
using Mono.Unix.Native;

namespace UsernsTools.Platform;

/// <summary>
/// A child started with argv and environment as bytes (<see cref="PosixSpawn"/>), for words that are not UTF-8 and so
/// cannot pass through System.Diagnostics.Process. Its pipes and exit status behave as Process's do; a thread of its
/// own waits for it (the runtime reaps only the children it started itself).
/// </summary>
internal sealed class BytesChildProcess : IChildProcess
{
    private readonly AnonymousPipeServerStream? _input;
    private readonly AnonymousPipeServerStream? _output;
    private readonly AnonymousPipeServerStream? _error;
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StreamWriter? _standardInput;
    private StreamReader? _standardOutput;
    private StreamReader? _standardError;

    private BytesChildProcess(int pid, AnonymousPipeServerStream? input, AnonymousPipeServerStream? output, AnonymousPipeServerStream? error)
    {
        Id = pid;
        _input = input;
        _output = output;
        _error = error;
    }

    public int Id { get; }

    public StreamWriter StandardInput => _standardInput ??= new StreamWriter(Redirected(_input), new UTF8Encoding(false)) { AutoFlush = true };

    public StreamReader StandardOutput => _standardOutput ??= new StreamReader(Redirected(_output), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);

    public StreamReader StandardError => _standardError ??= new StreamReader(Redirected(_error), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);

    public bool HasExited => _exit.Task.IsCompleted;

    public int ExitCode => _exit.Task.IsCompleted ? _exit.Task.Result : throw new InvalidOperationException("The process has not exited yet.");

    /// <summary>
    /// Starts the child; <paramref name="redirect"/> gives it pipes for stdin, stdout and stderr, else it shares ours.
    /// Call it on the thread that should be its parent (see <c>ProcessSpawner</c>).
    /// </summary>
    public static BytesChildProcess Start(IReadOnlyList<byte[]> argv, IReadOnlyList<byte[]> envp, string? workingDirectory, bool redirect)
    {
        BytesChildProcess child;
        if (redirect)
        {
            var (pid, input, output, error) = PosixSpawn.StartPiped((stdin, stdout, stderr) => PosixSpawn.Start(argv, envp, workingDirectory, stdin, stdout, stderr));
            child = new BytesChildProcess(pid, input, output, error);
        }
        else
        {
            child = new BytesChildProcess(PosixSpawn.Start(argv, envp, workingDirectory, null, null, null), null, null, null);
        }

        var waiter = new Thread(child.Wait) { IsBackground = true, Name = "UsernsTools child waiter" };
        waiter.Start();
        return child;
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _exit.Task.WaitAsync(cancellationToken);

    public void Dispose()
    {
        _standardInput?.Dispose();
        _standardOutput?.Dispose();
        _standardError?.Dispose();
        _input?.Dispose();
        _output?.Dispose();
        _error?.Dispose();
    }

    private static Stream Redirected(Stream? stream) => stream ?? throw new InvalidOperationException("The streams of this process are not redirected.");

    private void Wait() => _exit.SetResult(PosixSpawn.Reap(Id, wait: true)!.Value);
}
