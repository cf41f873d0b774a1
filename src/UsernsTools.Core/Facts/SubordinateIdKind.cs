namespace UsernsTools.Facts;

/// <summary>Which file a subordinate range comes from.</summary>
public enum SubordinateIdKind
{
    Uid,
    Gid,
}
