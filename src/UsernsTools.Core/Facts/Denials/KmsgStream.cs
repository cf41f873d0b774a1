using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace UsernsTools.Facts.Denials;

/// <summary>
/// Reads /dev/kmsg without blocking: each read returns one record, and EAGAIN marks the end of what the kernel
/// holds now (a plain blocking read would wait for new messages forever).
/// </summary>
internal sealed class KmsgStream : Stream
{
    // A record is at most about 8 KiB; a smaller read buffer makes the kernel fail the read with EINVAL.
    private const int RecordBufferSize = 16 * 1024;

    private readonly int _fd;
    private readonly IntPtr _native = Marshal.AllocHGlobal(RecordBufferSize);
    private readonly byte[] _record = new byte[RecordBufferSize];
    private int _recordOffset;
    private int _recordLength;
    private bool _ended;
    private bool _disposed;

    private KmsgStream(int fd) => _fd = fd;

    /// <summary>Opens the device, or returns null with the errno that refused it.</summary>
    public static KmsgStream? TryOpen(string path, out Errno error)
    {
        int fd;
        try
        {
            fd = Syscall.open(path, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            // Without Mono's native helper the device cannot be opened without blocking; dmesg is asked instead.
            error = Errno.ENOENT;
            return null;
        }

        if (fd < 0)
        {
            error = Stdlib.GetLastError();
            return null;
        }

        error = 0;
        return new KmsgStream(fd);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        while (_recordOffset >= _recordLength)
        {
            if (_ended || !FillRecord())
            {
                return 0;
            }
        }

        var n = Math.Min(count, _recordLength - _recordOffset);
        Array.Copy(_record, _recordOffset, buffer, offset, n);
        _recordOffset += n;
        return n;
    }

    private bool FillRecord()
    {
        while (true)
        {
            var n = Syscall.read(_fd, _native, RecordBufferSize);
            if (n > 0)
            {
                Marshal.Copy(_native, _record, 0, (int)n);
                _recordOffset = 0;
                _recordLength = (int)n;
                return true;
            }

            var errno = n < 0 ? Stdlib.GetLastError() : Errno.EAGAIN;
            switch (errno)
            {
                case Errno.EINTR:
                case Errno.EPIPE: // The record was overwritten in the ring buffer; the next read goes on.
                    continue;
                case Errno.EAGAIN:
                    _ended = true;
                    return false;
                default:
                    throw new IOException("Reading /dev/kmsg failed: " + errno);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Nothing useful can be done when closing a read-only device fails.
        _ = Syscall.close(_fd);
        Marshal.FreeHGlobal(_native);
        base.Dispose(disposing);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
