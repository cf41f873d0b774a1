using UsernsTools.Platform;

namespace UsernsTools.Tests;

/// <summary>
/// Runs every command behind a fixed prefix argv, e.g. inside a nested user namespace whose limits the prefix
/// changes first. The command is passed as arguments to a fixed script, never spliced into a shell string.
/// </summary>
internal sealed class PrefixRunner(IReadOnlyList<string> prefix) : IProcessRunner
{
    /// <summary>
    /// Inside a new user namespace (root mapped) whose max_user_namespaces is 0, so any new user namespace fails with
    /// ENOSPC for real (KNOWLEDGE.md section 8).
    /// </summary>
    public static PrefixRunner WithoutUserNamespaces(string unsharePath) => new(new[]
    {
        unsharePath, "-Ur", "sh", "-c", "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$@\"", "sh",
    });

    /// <summary>Inside new user and mount namespaces where /proc is hidden under an empty tmpfs, so no map can be written.</summary>
    public static PrefixRunner WithoutProc(string unsharePath) => new(new[]
    {
        unsharePath, "-Urm", "sh", "-c", "mount -t tmpfs none /proc && exec \"$@\"", "sh",
    });

    /// <summary>A container's masked /proc, imitated by one bind over /proc/keys (<see cref="KernelRecipes.MaskedProc"/>).</summary>
    public static PrefixRunner MaskedProc { get; } = new(KernelRecipes.MaskedProc);

    public Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ProcessRunner.Instance.RunAsync(request with { Argv = [.. prefix, .. request.Argv] }, cancellationToken);
    }
}
