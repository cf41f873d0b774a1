using System.IO.Compression;

namespace UsernsTools.Facts.Denials;

/// <summary>Opens a log file for sequential reading, decompressing gzip when the file starts with its magic bytes (whatever its name).</summary>
internal static class LogFileOpener
{
    public static Stream Open(string path)
    {
        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.SequentialScan,
            BufferSize = 0,
        });
        try
        {
            Span<byte> magic = stackalloc byte[2];
            var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            if (read == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            {
                return new BufferedStream(new GZipStream(file, CompressionMode.Decompress, leaveOpen: false), 1 << 16);
            }

            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
