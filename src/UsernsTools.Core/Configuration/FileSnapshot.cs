namespace UsernsTools.Configuration;

/// <summary>A file's exact state: its bytes, permission bits and owner, or its absence.</summary>
internal sealed class FileSnapshot
{
    public static FileSnapshot Absent { get; } = new(false, Array.Empty<byte>(), 0, 0, 0);

    public FileSnapshot(bool exists, byte[] content, int mode, long uid, long gid)
    {
        Exists = exists;
        Content = content;
        Mode = mode;
        Uid = uid;
        Gid = gid;
    }

    public bool Exists { get; }

    public byte[] Content { get; }

    /// <summary>Permission bits, 0..07777.</summary>
    public int Mode { get; }

    public long Uid { get; }

    public long Gid { get; }

    /// <summary>The content as text (UTF-8), for display and for editing text configuration.</summary>
    public string? Text => Exists ? System.Text.Encoding.UTF8.GetString(Content) : null;

    /// <summary>Same bytes, mode and owner (or both absent).</summary>
    public bool SameAs(FileSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!Exists || !other.Exists)
        {
            return Exists == other.Exists;
        }

        return Mode == other.Mode && Uid == other.Uid && Gid == other.Gid && Content.AsSpan().SequenceEqual(other.Content);
    }

    /// <summary>Same bytes (or both absent), whatever the mode and owner.</summary>
    public bool SameContent(FileSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Exists == other.Exists && Content.AsSpan().SequenceEqual(other.Content);
    }
}
