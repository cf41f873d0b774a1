using System.IO.Compression;
using UsernsTools.Platform;

namespace UsernsTools.Facts.Denials;

/// <summary>
/// A gzip-compressed log read sequentially. A corrupt file surfaces as the engine's InvalidData error naming the
/// file: GZipStream's own InvalidDataException names neither, and shows as a raw resource key in the trimmed command.
/// </summary>
internal sealed class GzipLogStream : Stream
{
    private readonly GZipStream _inner;
    private readonly string _path;

    public GzipLogStream(Stream compressed, string path)
    {
        _inner = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: false);
        _path = path;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return _inner.Read(buffer);
        }
        catch (InvalidDataException ex)
        {
            throw new UsernsException(
                "LogCorrupt",
                UsernsErrorCategory.InvalidData,
                $"'{_path}' starts like a gzip file but its compressed data is corrupt; nothing more can be read from it.",
                _path,
                ex);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
