using UsernsTools.Platform;

namespace UsernsTools.Tests.Probes;

/// <summary>
/// Runs every command behind a fixed prefix argv, e.g. inside a nested user namespace whose limits the prefix
/// changes first. The command is passed as arguments to a fixed script, never spliced into a shell string.
/// </summary>
internal sealed class PrefixRunner : IProcessRunner
{
    private readonly IReadOnlyList<string> _prefix;
    private readonly IProcessRunner _inner;

    public PrefixRunner(IReadOnlyList<string> prefix, IProcessRunner? inner = null)
    {
        _prefix = prefix;
        _inner = inner ?? ProcessRunner.Instance;
    }

    /// <summary>Inside a new user namespace (root mapped) where no further user namespace may be created.</summary>
    public static PrefixRunner WithoutUserNamespaces(string unsharePath) => new(new[]
    {
        unsharePath, "-Ur", "sh", "-c", "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$@\"", "sh",
    });

    /// <summary>Inside new user and mount namespaces where /proc is hidden under an empty tmpfs, so no map can be written.</summary>
    public static PrefixRunner WithoutProc(string unsharePath) => new(new[]
    {
        unsharePath, "-Urm", "sh", "-c", "mount -t tmpfs none /proc && exec \"$@\"", "sh",
    });

    public Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _inner.RunAsync(request with { Argv = [.. _prefix, .. request.Argv] }, cancellationToken);
    }
}
