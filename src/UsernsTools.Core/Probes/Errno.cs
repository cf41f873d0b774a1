namespace UsernsTools.Probes;

/// <summary>The errno a failing probe reported, recognised from the tool's message.</summary>
public enum Errno
{
    None,
    EPERM,
    EACCES,
    ENOSPC,
    EUSERS,
    EINVAL,
    ENOSYS,
    ENOENT,
    Unknown,
}
