using UsernsTools.Platform;

namespace UsernsTools.Facts.Denials;

/// <summary>
/// Reads /dev/kmsg without blocking: each read of the device returns one record, and EAGAIN marks the end of what
/// the kernel holds now (a plain blocking read would wait for new messages forever). The records already logged when
/// the device is opened come first, read at once (see <see cref="TryOpen"/>).
/// </summary>
internal sealed class KmsgStream : Stream
{
    // A record is at most about 8 KiB; a smaller read buffer makes the kernel fail the read with EINVAL.
    private const int RecordBufferSize = 16 * 1024;

    private readonly int _fd;
    private readonly byte[] _record = new byte[RecordBufferSize];

    // What is being handed out: the records read at once when the device was opened, then each record read since.
    private byte[] _pending;
    private int _pendingOffset;
    private int _pendingLength;
    private bool _ended;
    private bool _disposed;

    private KmsgStream(int fd)
    {
        _fd = fd;
        _pending = _record;
    }

    /// <summary>
    /// Opens the device, or returns null with the errno that refused it. For the kernel's own device, the records it
    /// holds now are read in one call, as dmesg prints them (<c>[   12.345678] text</c>, which the parsers read as they
    /// read dmesg), and the descriptor then goes on from the first record logged after them.
    /// </summary>
    public static KmsgStream? TryOpen(string path, out int error)
    {
        var fd = PosixNative.OpenNonBlocking(path, out error);
        if (fd < 0)
        {
            return null;
        }

        var stream = new KmsgStream(fd);
        if (string.Equals(path, KernelLog.DevicePath, StringComparison.Ordinal))
        {
            stream.TakeSnapshot();
        }

        return stream;
    }

    /// <summary>
    /// The device's descriptor is moved past the end first, then the whole buffer is read: a record logged in between is
    /// read twice rather than never. When the call is refused (seccomp filters often refuse syslog(2)) or the records
    /// carry no time (printk.time=0), the descriptor goes back to the oldest record and the device is read record by record.
    /// </summary>
    private void TakeSnapshot()
    {
        if (!KernelLog.SeekToEnd(_fd))
        {
            return;
        }

        var all = KernelLog.ReadAll(out var length, out _);
        var kept = all is null ? -1 : WithoutPriorities(all, length);
        if (kept < 0)
        {
            _ = KernelLog.SeekToStart(_fd);
            return;
        }

        _pending = all!;
        _pendingLength = kept;
    }

    /// <summary>
    /// Removes the <c>&lt;6&gt;</c> that starts each line in place and returns the length left; -1 when the first line has
    /// no time after it.
    /// </summary>
    internal static int WithoutPriorities(byte[] text, int length)
    {
        ArgumentNullException.ThrowIfNull(text);
        var kept = 0;
        var read = 0;
        while (read < length)
        {
            if (text[read] == (byte)'<')
            {
                var close = Array.IndexOf(text, (byte)'>', read, Math.Min(8, length - read));
                if (close > read)
                {
                    read = close + 1;
                }
            }

            if (kept == 0 && (read >= length || text[read] != (byte)'['))
            {
                return -1;
            }

            var newline = Array.IndexOf(text, (byte)'\n', read, length - read);
            var end = newline < 0 ? length : newline + 1;
            Array.Copy(text, read, text, kept, end - read);
            kept += end - read;
            read = end;
        }

        return kept;
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
            if (_pendingOffset >= _pendingLength && (_ended || !FillRecord()))
            {
                break;
            }

            var n = Math.Min(count - total, _pendingLength - _pendingOffset);
            Array.Copy(_pending, _pendingOffset, buffer, offset + total, n);
            _pendingOffset += n;
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
                _pending = _record;
                _pendingOffset = 0;
                _pendingLength = n;
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
