namespace UsernsTools.Probes;

/// <summary>The strerror texts that tools print for the errnos namespace creation can fail with (glibc and musl agree).</summary>
internal static class StrerrorText
{
    public static IReadOnlyList<(string Text, Errno Errno)> All { get; } = new[]
    {
        ("Operation not permitted", Errno.EPERM),
        ("Permission denied", Errno.EACCES),
        ("No space left on device", Errno.ENOSPC),
        ("Too many users", Errno.EUSERS),
        ("Invalid argument", Errno.EINVAL),
        ("Function not implemented", Errno.ENOSYS),
        ("No such file or directory", Errno.ENOENT),
    };
}
