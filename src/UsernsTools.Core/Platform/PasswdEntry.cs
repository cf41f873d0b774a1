namespace UsernsTools.Platform;

/// <summary>One account: name, uid and primary gid.</summary>
internal sealed record PasswdEntry(string Name, long Uid, long Gid);
