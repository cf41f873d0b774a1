using System.Text;
using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>
/// Writes sysctl values below a configurable proc root (default /proc), so the same code writes the
/// running kernel, a nested user namespace's own copy, or plain files standing for them in tests.
/// </summary>
internal static class RuntimeSysctl
{
    /// <summary>The file holding <paramref name="name"/> below <paramref name="procRoot"/>.</summary>
    public static string PathOf(string procRoot, string name)
    {
        ArgumentNullException.ThrowIfNull(procRoot);
        ArgumentNullException.ThrowIfNull(name);
        return procRoot.TrimEnd('/') + "/sys/" + name.Replace('.', '/');
    }

    /// <summary>
    /// The file holding <paramref name="name"/> for <paramref name="context"/>: below the root's own proc folder, each
    /// component checked so that a link planted under a root cannot send the write elsewhere; or below the proc root
    /// the context names (a nested user namespace's real /proc).
    /// </summary>
    public static string PathOf(ConfigurationContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(name);
        return context.ProcRoot is null
            ? ManagedPaths.Contained(context.Root, MachinePath(name), includeLast: true)
            : PathOf(context.ProcRoot, name);
    }

    public static string MachinePath(string name) => "/proc/sys/" + name.Replace('.', '/');

    /// <summary>The value of <paramref name="name"/> (trimmed) read where <see cref="PathOf(ConfigurationContext, string)"/> says; null when absent.</summary>
    public static string? Read(ConfigurationContext context, string name)
    {
        var path = PathOf(context, name);
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="value"/> in a single write(2), as the kernel requires for sysctl files.</summary>
    public static void Write(ConfigurationContext context, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var path = PathOf(context, name);
        if (!File.Exists(path))
        {
            throw new UsernsException(
                "SettingNotPresent",
                UsernsErrorCategory.ObjectNotFound,
                $"This kernel has no {name} ({path} does not exist).",
                name);
        }

        var bytes = Encoding.ASCII.GetBytes(value + "\n");
        try
        {
            using var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Truncate, Access = FileAccess.Write, BufferSize = 0 });
            stream.Write(bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (IoFailure.Errno(ex) == PosixNative.EINVAL)
            {
                throw new UsernsException("InvalidSettingValue", UsernsErrorCategory.InvalidArgument, $"The kernel refused {value} for {name}.", value, ex);
            }

            throw IoFailure.From(ex, path, "write");
        }
    }
}
