using UsernsTools.Platform;

namespace UsernsTools.Facts.Denials;

/// <summary>
/// Reads /dev/kmsg without blocking: each read of the device returns one record, and EAGAIN marks the end of what
/// the kernel holds now (a plain blocking read would wait for new messages forever).
/// </summary>
internal sealed class KmsgStream : Stream
{
    // A record is at most about 8 KiB; a smaller read buffer makes the kernel fail the read with EINVAL.
    private const int RecordBufferSize = 16 * 1024;

    private readonly int _fd;
    private readonly byte[] _record = new byte[RecordBufferSize];
    private int _recordOffset;
    private int _recordLength;
    private bool _ended;
    private bool _disposed;

    private KmsgStream(int fd) => _fd = fd;

    /// <summary>Opens the device, or returns null with the errno that refused it.</summary>
    public static KmsgStream? TryOpen(string path, out int error)
    {
        var fd = PosixNative.OpenNonBlocking(path, out error);
        return fd < 0 ? null : new KmsgStream(fd);
    }

    /// <summary>
    /// Reads on from where the last read ended, with the records logged since: the end of what the kernel held then is
    /// not the end of the device.
    /// </summary>
    public void Resume() => _ended = false;

    /// <summary>
    /// As many records as fit, the last one possibly in part (its rest comes first in the next read): a record is some
    /// 100 bytes, and the reader above does its work per read, not per record. Returns 0 at the end.
    /// </summary>
    public override int Read(byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var total = 0;
        while (total < count)
        {
            if (_recordOffset >= _recordLength && (_ended || !FillRecord()))
            {
                break;
            }

            var n = Math.Min(count - total, _recordLength - _recordOffset);
            Array.Copy(_record, _recordOffset, buffer, offset + total, n);
            _recordOffset += n;
            total += n;
        }

        return total;
    }

    private bool FillRecord()
    {
        while (true)
        {
            var n = PosixNative.Read(_fd, _record, out var errno);
            if (n > 0)
            {
                _recordOffset = 0;
                _recordLength = n;
                return true;
            }

            switch (n < 0 ? errno : PosixNative.EAGAIN)
            {
                case PosixNative.EINTR:
                case PosixNative.EPIPE: // The record was overwritten in the ring buffer; the next read goes on.
                    continue;
                case PosixNative.EAGAIN:
                    _ended = true;
                    return false;
                default:
                    throw new IOException("Reading /dev/kmsg failed: " + PosixNative.ErrorMessage(errno), errno);
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
        PosixNative.Close(_fd);
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
