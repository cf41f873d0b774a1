using Mono.Unix.Native;

namespace UsernsTools.Platform;

/// <summary>
/// A write-only stream over a descriptor this process was given (standard output), written with write(2) as Console's own
/// stream writes it: a reader that has gone away is no error (the output is dropped, as `usernstools status | head`
/// wants), a descriptor left non-blocking is waited for, and any other failure (a closed descriptor, a full disk) is a
/// <see cref="UsernsException"/> that says so. Unlike Console's stream, its first write does not set up the
/// terminal and a signal-handling thread first, which a command that starts no process never needs. The descriptor is
/// not closed.
/// </summary>
internal sealed class DescriptorOutputStream : Stream
{
    private readonly int _fd;
    private bool _failed;

    public DescriptorOutputStream(int fd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        _fd = fd;
    }

    /// <summary>Standard output (descriptor 1).</summary>
    public static DescriptorOutputStream StandardOutput() => new(1);

    /// <summary>
    /// Standard error (descriptor 2), written as far as it can be: where it is closed or full there is nowhere left to
    /// report that, so the failure ends its output instead of the command (which keeps its own exit code).
    /// </summary>
    public static DescriptorOutputStream StandardError() => new(2) { DropsFailures = true };

    /// <summary>A failed write ends the output silently (standard error) instead of throwing.</summary>
    public bool DropsFailures { get; private init; }

    /// <summary>True once a write found nobody reading: everything after it is dropped.</summary>
    public bool ReaderGone { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        while (count > 0 && !ReaderGone && !_failed)
        {
            var written = PosixNative.Write(_fd, buffer, offset, count, out var errno);
            if (written >= 0)
            {
                offset += written;
                count -= written;
                continue;
            }

            switch (errno)
            {
                case PosixNative.EINTR:
                    break;
                case PosixNative.EAGAIN:
                    var ready = new[] { new Pollfd { fd = _fd, events = PollEvents.POLLOUT } };
                    _ = Syscall.poll(ready, -1);
                    break;
                case PosixNative.EPIPE:
                    ReaderGone = true;
                    break;
                default:
                    if (DropsFailures)
                    {
                        _failed = true;
                        break;
                    }

                    // A closed descriptor (`>&-`) or a full disk (`>/dev/full`) is the caller's to fix, not a fault of ours.
                    throw new UsernsException(
                        "OutputNotWritten",
                        UsernsErrorCategory.WriteError,
                        $"Cannot write to {(_fd == 1 ? "standard output" : $"descriptor {_fd}")}: {PosixNative.ErrorMessage(errno)}.",
                        _fd,
                        new IOException(PosixNative.ErrorMessage(errno), errno));
            }
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
