namespace UsernsTools.Configuration;

/// <summary>A file's exact state: its bytes, permission bits, owner and extended attributes, or its absence.</summary>
internal sealed class FileSnapshot
{
    public static FileSnapshot Absent { get; } = new(false, Array.Empty<byte>(), 0, 0, 0);

    public FileSnapshot(bool exists, byte[] content, int mode, long uid, long gid, IReadOnlyList<KeyValuePair<string, byte[]>>? extendedAttributes = null)
    {
        Exists = exists;
        Content = content;
        Mode = mode;
        Uid = uid;
        Gid = gid;
        ExtendedAttributes = extendedAttributes;
    }

    public bool Exists { get; }

    public byte[] Content { get; }

    /// <summary>Permission bits, 0..07777.</summary>
    public int Mode { get; }

    public long Uid { get; }

    public long Gid { get; }

    /// <summary>
    /// The extended attributes (user.*, security.selinux, ACLs ...) by name; null when not known (a journal record
    /// written before they were recorded): a write then keeps those of the file it replaces.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>>? ExtendedAttributes { get; }

    /// <summary>The content as text (UTF-8), for display and for editing text configuration.</summary>
    public string? Text => Exists ? System.Text.Encoding.UTF8.GetString(Content) : null;

    /// <summary>Same bytes, mode, owner and extended attributes where both know them (or both absent).</summary>
    public bool SameAs(FileSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!Exists || !other.Exists)
        {
            return Exists == other.Exists;
        }

        return Mode == other.Mode && Uid == other.Uid && Gid == other.Gid && Content.AsSpan().SequenceEqual(other.Content)
            && SameAttributes(ExtendedAttributes, other.ExtendedAttributes);
    }

    /// <summary>The same names with the same values, in any order; an unknown side compares equal.</summary>
    private static bool SameAttributes(IReadOnlyList<KeyValuePair<string, byte[]>>? left, IReadOnlyList<KeyValuePair<string, byte[]>>? right)
    {
        if (left is null || right is null)
        {
            return true;
        }

        return left.Count == right.Count
            && left.All(a => right.Any(b => string.Equals(a.Key, b.Key, StringComparison.Ordinal) && a.Value.AsSpan().SequenceEqual(b.Value)));
    }

    /// <summary>Same bytes (or both absent), whatever the mode and owner.</summary>
    public bool SameContent(FileSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Exists == other.Exists && Content.AsSpan().SequenceEqual(other.Content);
    }
}
