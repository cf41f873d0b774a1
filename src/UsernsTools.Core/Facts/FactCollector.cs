using UsernsTools.Configuration;
using UsernsTools.Platform;

namespace UsernsTools.Facts;

/// <summary>Reads every fact the diagnosis needs from a machine (or a folder standing for one).</summary>
internal static class FactCollector
{
    /// <summary>
    /// Collects all facts below <see cref="FactRequest.Root"/>. The only processes started are the tools'
    /// <c>--version</c> calls, concurrently and only for the running machine's root; the file reads overlap them.
    /// Throws <see cref="UsernsException"/> (UnknownUser, InvalidUserId) when the requested user does not resolve.
    /// </summary>
    public static async Task<MachineFacts> CollectAsync(FactRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var root = request.Root;

        // Resolve the subject first: a bad -User must fail before any process is started.
        var subject = request.Subject ?? UserResolver.Resolve(root, request.User, request.CallerUid, request.Environment);

        // Called directly, not on a worker thread: it reads the files itself and returns at the first version process
        // it has to wait for (none where the builds embed their versions), so the file reads below overlap that process
        // without a thread-pool thread being started for it.
        var tools = ToolReader.ReadAsync(
            root,
            request.Environment.GetValueOrDefault("PATH"),
            request.ExtraBwrapPaths,
            request.Runner,
            runVersions: MachineRoot.IsLive(root),
            cancellationToken);

        var kernel = KernelReader.Read(root);
        var resolution = SysctlPrecedence.Resolve(root);
        var settings = SettingCatalog.All.Select(d => SettingReader.Read(root, d, resolution)).ToArray();
        var facts = new MachineFacts
        {
            CollectedAt = DateTimeOffset.UtcNow,
            Hostname = KernelReader.ReadHostname(root),
            Subject = subject,
            CallerUid = request.CallerUid,
            Kernel = kernel,
            Settings = settings,
            SecurityModules = SecurityModuleReader.Read(root),
            Process = ProcessFactReader.Read(root),
            Environment = EnvironmentReader.Read(root, kernel, request.Environment),
            SubordinateUids = SubordinateIdReader.ReadFile(root, SubordinateIdKind.Uid, subject),
            SubordinateGids = SubordinateIdReader.ReadFile(root, SubordinateIdKind.Gid, subject),
            SubordinateIdsInUse = SubordinateIdReader.ReadInUse(root),
            Tools = await tools.ConfigureAwait(false),
        };
        return facts;
    }
}
