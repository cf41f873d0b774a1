using System.Buffers;
using System.Diagnostics;
using System.IO.Pipes;
using System.Text;
using Mono.Unix.Native;

namespace UsernsTools.Platform;

/// <summary>
/// The three pipes of a running helper, served from one thread with poll(2): its input is written as the pipe takes
/// it, and its output and error are read as they fill, so neither side can block the other whatever the sizes.
/// </summary>
internal sealed class HelperPipes
{
    private const int Chunk = 4096;

    private readonly PipeStream _input;
    private readonly PipeStream _output;
    private readonly PipeStream _error;
    private readonly byte[]? _pending;
    private readonly ArrayBufferWriter<byte> _outputBytes = new();
    private readonly ArrayBufferWriter<byte> _errorBytes = new();
    private int _written;
    private bool _inputClosed;

    /// <param name="input">Our end of the helper's stdin (closed here once <paramref name="inputBytes"/> are written).</param>
    /// <param name="output">Our end of its stdout.</param>
    /// <param name="error">Our end of its stderr.</param>
    /// <param name="inputBytes">What to write to its stdin; null for nothing.</param>
    public HelperPipes(PipeStream input, PipeStream output, PipeStream error, byte[]? inputBytes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        _input = input;
        _output = output;
        _error = error;
        _pending = inputBytes;
    }

    public enum Outcome
    {
        /// <summary>The helper closed its stdout and stderr (it has usually exited).</summary>
        Closed,

        /// <summary>The deadline came first.</summary>
        TimedOut,

        /// <summary>The caller cancelled first.</summary>
        Cancelled,
    }

    public string StandardOutput => Encoding.UTF8.GetString(_outputBytes.WrittenSpan);

    public string StandardError => Encoding.UTF8.GetString(_errorBytes.WrittenSpan);

    /// <summary>
    /// Serves the pipes until the helper closes its output and error, <paramref name="deadline"/> passes, or
    /// <paramref name="wake"/> fires. May be called again (after a kill, for what is left in the pipes).
    /// </summary>
    public Outcome Drain(Stopwatch clock, TimeSpan deadline, CancellationWake? wake)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var outputFd = Fd(_output);
        var errorFd = Fd(_error);
        if (_pending is null)
        {
            CloseInput();
        }

        var inputFd = _inputClosed ? -1 : Fd(_input);

        // Only what read(2) puts in it is used: a helper that writes a line does not cost 64 KB of memory cleared.
        var buffer = GC.AllocateUninitializedArray<byte>(65536);
        var polled = new List<Pollfd>(4);
        while (outputFd >= 0 || errorFd >= 0)
        {
            var left = deadline - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return Outcome.TimedOut;
            }

            polled.Clear();
            Add(polled, outputFd, PollEvents.POLLIN);
            Add(polled, errorFd, PollEvents.POLLIN);
            Add(polled, inputFd, PollEvents.POLLOUT);
            Add(polled, wake?.Fd ?? -1, PollEvents.POLLIN);
            var fds = polled.ToArray();
            var ready = Syscall.poll(fds, (int)Math.Min(int.MaxValue, Math.Ceiling(left.TotalMilliseconds)));
            if (ready < 0)
            {
                var errno = PosixNative.LastError();
                if (errno == PosixNative.EINTR)
                {
                    continue;
                }

                throw new IOException("poll on a helper's pipes failed: " + PosixNative.ErrorMessage(errno), errno);
            }

            foreach (var fd in fds)
            {
                if (fd.revents == 0)
                {
                    continue;
                }

                if (wake is not null && fd.fd == wake.Fd)
                {
                    return Outcome.Cancelled;
                }

                if (fd.fd == inputFd)
                {
                    if (!WriteSome(inputFd, fd.revents))
                    {
                        inputFd = -1;
                        CloseInput();
                    }
                }
                else if (!ReadSome(fd.fd, buffer, fd.fd == outputFd ? _outputBytes : _errorBytes))
                {
                    if (fd.fd == outputFd)
                    {
                        outputFd = -1;
                    }
                    else
                    {
                        errorFd = -1;
                    }
                }
            }
        }

        return Outcome.Closed;
    }

    private static void Add(List<Pollfd> polled, int fd, PollEvents events)
    {
        if (fd >= 0)
        {
            polled.Add(new Pollfd { fd = fd, events = events });
        }
    }

    /// <summary>Reads what the pipe holds; false at its end (or on an error, which ends it too).</summary>
    private static bool ReadSome(int fd, byte[] buffer, ArrayBufferWriter<byte> into)
    {
        var n = PosixNative.Read(fd, buffer, out var errno);
        if (n > 0)
        {
            into.Write(buffer.AsSpan(0, n));
            return true;
        }

        return n < 0 && errno is PosixNative.EINTR or PosixNative.EAGAIN;
    }

    /// <summary>Writes the next piece of the input; false when it is all written or the helper stopped reading.</summary>
    private bool WriteSome(int fd, PollEvents revents)
    {
        if ((revents & PollEvents.POLLOUT) == 0)
        {
            // POLLERR or POLLHUP: nobody reads the other end any more. The exit status tells the rest.
            return false;
        }

        var count = Math.Min(Chunk, _pending!.Length - _written);
        var n = PosixNative.Write(fd, _pending, _written, count, out var errno);
        if (n < 0)
        {
            return errno is PosixNative.EINTR or PosixNative.EAGAIN;
        }

        _written += n;
        return _written < _pending.Length;
    }

    private void CloseInput()
    {
        if (!_inputClosed)
        {
            _inputClosed = true;
            _input.Dispose();
        }
    }

    private static int Fd(PipeStream pipe) => (int)pipe.SafePipeHandle.DangerousGetHandle();
}

/// <summary>A pipe that becomes readable when a token is cancelled, so that a poll(2) wakes up for it.</summary>
internal sealed class CancellationWake : IDisposable
{
    private readonly AnonymousPipeServerStream _pipe = new(PipeDirection.In, HandleInheritability.None);
    private readonly CancellationTokenRegistration _registration;
    private readonly Stream _writer;

    public CancellationWake(CancellationToken token)
    {
        _writer = new AnonymousPipeClientStream(PipeDirection.Out, _pipe.ClientSafePipeHandle);
        Fd = (int)_pipe.SafePipeHandle.DangerousGetHandle();
        _registration = token.Register(() =>
        {
            try
            {
                _writer.WriteByte(1);
            }
            catch (ObjectDisposedException)
            {
                // The helper was done first.
            }
        });
    }

    public int Fd { get; }

    public void Dispose()
    {
        _registration.Dispose();
        _writer.Dispose();
        _pipe.Dispose();
    }
}
