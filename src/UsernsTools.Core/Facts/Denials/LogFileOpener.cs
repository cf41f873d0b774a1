namespace UsernsTools.Facts.Denials;

/// <summary>Opens a log file for sequential reading, decompressing gzip when the file starts with its magic bytes (whatever its name).</summary>
internal static class LogFileOpener
{
    public static Stream Open(string path) => Open(path, null);

    /// <summary>
    /// Opens the log; with <paramref name="tailBytes"/>, a plain file larger than that is read from its last
    /// <paramref name="tailBytes"/> bytes on, starting at the first whole line (gzip cannot be entered in the middle).
    /// </summary>
    public static Stream Open(string path, long? tailBytes)
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
                return new BufferedStream(new GzipLogStream(file, path), 1 << 16);
            }

            if (tailBytes is long tail && tail >= 0 && file.Length > tail)
            {
                SkipToLineAfter(file, file.Length - tail);
            }

            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Positions the file at the start of the first line that begins after <paramref name="offset"/>.</summary>
    private static void SkipToLineAfter(FileStream file, long offset)
    {
        // The byte before the offset tells whether the offset already starts a line.
        file.Position = offset - 1;
        Span<byte> chunk = stackalloc byte[4096];
        while (true)
        {
            var start = file.Position;
            var read = file.Read(chunk);
            if (read == 0)
            {
                return;
            }

            var newline = chunk[..read].IndexOf((byte)'\n');
            if (newline >= 0)
            {
                file.Position = start + newline + 1;
                return;
            }
        }
    }
}
