using UsernsTools.Facts;
using UsernsTools.Platform;

namespace UsernsTools.Sandbox;

/// <summary>Finds the sandbox tools on this machine's PATH and asks unshare and bwrap for their versions.</summary>
internal static class SandboxToolDetector
{
    public static async Task<SandboxToolFacts> DetectAsync(string? path, IProcessRunner runner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var unshare = PathLookup.Find("unshare", path);
        var bwrap = PathLookup.Find("bwrap", path);
        // The fact readers' version lookup: embedded string first, --version otherwise, remembered per binary.
        var unshareVersion = unshare is null ? Task.FromResult<string?>(null) : ToolReader.ReadVersionAsync(runner, "unshare", unshare, cancellationToken);
        var bwrapVersion = bwrap is null ? Task.FromResult<string?>(null) : ToolReader.ReadVersionAsync(runner, "bwrap", bwrap, cancellationToken);
        return new SandboxToolFacts
        {
            UnsharePath = unshare,
            UnshareVersion = ToolVersion.AsVersion(await unshareVersion.ConfigureAwait(false)),
            BwrapPath = bwrap,
            BwrapVersion = ToolVersion.AsVersion(await bwrapVersion.ConfigureAwait(false)),
            SetprivPath = PathLookup.Find("setpriv", path),
            HostnamePath = PathLookup.Find("hostname", path),
            FlockPath = PathLookup.Find("flock", path),
            ShellPath = PathLookup.Find("sh", path) ?? "/bin/sh",
            Uid = CurrentProcess.EffectiveUid,
        };
    }

    /// <summary>Facts for this process's PATH.</summary>
    public static Task<SandboxToolFacts> DetectAsync(CancellationToken cancellationToken) =>
        DetectAsync(Environment.GetEnvironmentVariable("PATH"), ProcessRunner.Instance, cancellationToken);
}
