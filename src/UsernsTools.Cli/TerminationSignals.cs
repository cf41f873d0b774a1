using System.Runtime.InteropServices;

namespace UsernsTools.Cli;

/// <summary>
/// Signal handling for a command that runs a program in the foreground, as a shell does for its child:
/// SIGINT is left to the program (the terminal sends Ctrl+C to the whole foreground process group, so a
/// shell or REPL in the sandbox can handle it), while SIGTERM, SIGHUP and SIGQUIT sent to usernstools end
/// the sandbox through <see cref="Token"/>.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signal;

    public TerminationSignals()
    {
        _registrations = new[]
        {
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Terminate(context, 15)),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => Terminate(context, 1)),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, context => Terminate(context, 3)),
        };
    }

    /// <summary>Cancelled when a terminating signal arrived.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The signal that cancelled <see cref="Token"/>, or 0.</summary>
    public int Signal => Volatile.Read(ref _signal);

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancel.Dispose();
    }

    private void Terminate(PosixSignalContext context, int signal)
    {
        // Not the default action (die at once): the sandbox is killed and reaped first.
        context.Cancel = true;
        Interlocked.CompareExchange(ref _signal, signal, 0);
        _cancel.Cancel();
    }
}
