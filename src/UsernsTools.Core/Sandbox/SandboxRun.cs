using System.Collections.Concurrent;
using System.Threading.Channels;

namespace UsernsTools.Sandbox;

/// <summary>
/// A run in progress, for a front end that feeds stdin while it writes output, as a cmdlet does:
/// ProcessRecord calls <see cref="WriteInput"/> and drains <see cref="Events"/> with TryRead;
/// EndProcessing calls <see cref="CompleteInput"/>, reads <see cref="Events"/> to the end and awaits
/// <see cref="Completion"/>; StopProcessing calls <see cref="Stop"/>. Disposing ends the sandbox if it still runs.
/// </summary>
internal sealed class SandboxRun : IAsyncDisposable
{
    private readonly Channel<SandboxEvent> _events;
    private readonly BlockingCollection<string>? _input;
    private readonly CancellationTokenSource _stop;

    internal SandboxRun(Channel<SandboxEvent> events, BlockingCollection<string>? input, CancellationTokenSource stop, Task<NamespacedProcessResult> completion)
    {
        _events = events;
        _input = input;
        _stop = stop;
        Completion = completion;
    }

    /// <summary>Output and Error lines as they arrive; completes when the run has ended.</summary>
    public ChannelReader<SandboxEvent> Events => _events.Reader;

    /// <summary>The result; faults with the run's exception, or is cancelled after <see cref="Stop"/>.</summary>
    public Task<NamespacedProcessResult> Completion { get; }

    /// <summary>Queues a line for stdin (only for a run started with writable input; ignored after the input was completed).</summary>
    public void WriteInput(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (_input is null)
        {
            throw new InvalidOperationException("This run was started without writable input.");
        }

        if (!_input.IsAddingCompleted)
        {
            try
            {
                _input.Add(line);
            }
            catch (InvalidOperationException)
            {
                // Completed by another thread in between: the program gets no more input.
            }
        }
    }

    /// <summary>Closes stdin once the queued lines are written.</summary>
    public void CompleteInput() => _input?.CompleteAdding();

    /// <summary>Kills the sandbox (Ctrl+C); <see cref="Completion"/> then ends cancelled.</summary>
    public void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        CompleteInput();
        try
        {
            await Completion.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Disposing must not throw; the caller saw the outcome through Completion.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        _stop.Dispose();
        _input?.Dispose();
    }
}
