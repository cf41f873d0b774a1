using Mono.Unix.Native;
using Xunit;

namespace UsernsTools.Tests.Configuration;

/// <summary>A fact about extended attributes: skipped, with the reason, where the temporary folder's file system has no user.* attributes.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class UserXattrFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> s_skip = new(Probe);

    public UserXattrFactAttribute()
    {
        Skip = s_skip.Value;
    }

    private static string? Probe()
    {
        var file = Path.Combine(Path.GetTempPath(), "usernstools-xattr-probe-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(file, Array.Empty<byte>());
        try
        {
            return Syscall.setxattr(file, "user.usernstools-probe", new byte[] { 1 }) == 0
                ? null
                : $"the file system of {Path.GetTempPath()} does not take user.* extended attributes ({Stdlib.GetLastError()})";
        }
        finally
        {
            File.Delete(file);
        }
    }
}
