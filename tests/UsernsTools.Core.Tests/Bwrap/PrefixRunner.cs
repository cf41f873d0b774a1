using UsernsTools.Platform;

namespace UsernsTools.Tests.Bwrap;

/// <summary>Runs every argv behind a fixed prefix, e.g. inside a nested user namespace whose limits the test lowered.</summary>
internal sealed class PrefixRunner(IReadOnlyList<string> prefix) : IProcessRunner
{
    /// <summary>
    /// A nested user namespace where the caller is root and max_user_namespaces is 0, so any new user namespace fails
    /// with ENOSPC for real (KNOWLEDGE.md section 8). A fixed script; the command comes as arguments.
    /// </summary>
    public static PrefixRunner NoUserNamespaces { get; } = new(new[]
    {
        "unshare", "-Ur", "sh", "-c", "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$@\"", "sh",
    });

    /// <summary>A container's masked /proc, imitated by one bind over /proc/keys (<see cref="KernelRecipes.MaskedProc"/>).</summary>
    public static PrefixRunner MaskedProc { get; } = new(KernelRecipes.MaskedProc);

    public Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
        => ProcessRunner.Instance.RunAsync(request with { Argv = prefix.Concat(request.Argv).ToArray() }, cancellationToken);
}
