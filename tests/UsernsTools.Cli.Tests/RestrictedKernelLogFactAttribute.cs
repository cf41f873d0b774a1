namespace UsernsTools.Tests;

/// <summary>
/// A kernel fact that is only meaningful where the kernel keeps its log from unprivileged users
/// (<c>kernel.dmesg_restrict=1</c>, as most distributions set it) and no readable kern.log stands in for it.
/// Elsewhere it is skipped with that reason rather than passing without asserting anything.
/// </summary>
public sealed class RestrictedKernelLogFactAttribute : KernelFactAttribute
{
    public RestrictedKernelLogFactAttribute(params string[] tools)
        : base(tools)
    {
        RequiresRoot = true;
        if (Skip is null && !KernelLogIsRestricted())
        {
            Skip = "kernel.dmesg_restrict is not 1 (or /var/log/kern.log exists): unprivileged users can read the kernel log here";
        }
    }

    private static bool KernelLogIsRestricted()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/dmesg_restrict").Trim() == "1" && !File.Exists("/var/log/kern.log");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
