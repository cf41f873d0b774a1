namespace UsernsTools.Facts.Denials;

/// <summary>The recent denials a status quotes, and what kept some logs from being read.</summary>
internal sealed record RecentDenials(IReadOnlyList<UsernsDenial> Denials, IReadOnlyList<string> Notes);
