using System.Collections.Concurrent;
using UsernsTools.Platform;

namespace UsernsTools.Facts;

/// <summary>Describes the namespace tools found on PATH: where, which version, setuid or file capabilities.</summary>
internal static class ToolReader
{
    /// <summary>The tools the diagnosis knows, in the order reports list them.</summary>
    public static IReadOnlyList<string> ToolNames { get; } = new[] { "unshare", "setpriv", "bwrap", "newuidmap", "newgidmap" };

    /// <summary>newuidmap and newgidmap print no version; the others answer <c>--version</c>.</summary>
    private static readonly HashSet<string> s_versioned = new(StringComparer.Ordinal) { "unshare", "setpriv", "bwrap" };

    /// <summary>Version output comes back in milliseconds; a tool that hangs must not hold the whole report.</summary>
    internal static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Versions already asked in this process, keyed by path, size and modification time: a session that
    /// diagnoses repeatedly starts the version processes once, and a package upgrade changes the key.
    /// </summary>
    private static readonly ConcurrentDictionary<string, string> s_versionCache = new(StringComparer.Ordinal);

    /// <summary>
    /// Finds each tool on <paramref name="pathVariable"/> below <paramref name="root"/>, plus any extra bwrap
    /// executables. Version processes run concurrently and only when <paramref name="runVersions"/> is set:
    /// nothing from another root is ever executed.
    /// </summary>
    public static async Task<IReadOnlyList<ToolFact>> ReadAsync(
        string root,
        string? pathVariable,
        IReadOnlyList<string> extraBwrapPaths,
        IProcessRunner runner,
        bool runVersions,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(extraBwrapPaths);
        ArgumentNullException.ThrowIfNull(runner);

        var found = new List<(string Name, string? Path, bool Exists)>();
        foreach (var name in ToolNames)
        {
            var path = PathLookup.Find(name, pathVariable, root);
            found.Add((name, path, path is not null));
        }

        foreach (var extra in extraBwrapPaths)
        {
            if (!string.IsNullOrWhiteSpace(extra) && !found.Any(f => string.Equals(f.Path, extra, StringComparison.Ordinal)))
            {
                // A missing extra path is still reported (Found = false) so the caller sees why nothing was checked.
                found.Add(("bwrap", extra, PathLookup.Find(extra, pathVariable, root) is not null));
            }
        }

        // Start the version processes first; the file checks below overlap with them.
        var versions = found
            .Select(f => runVersions && f.Exists && s_versioned.Contains(f.Name)
                ? ReadVersionAsync(runner, f.Name, f.Path!, cancellationToken)
                : Task.FromResult<string?>(null))
            .ToArray();

        var facts = new ToolFact[found.Count];
        var statOverrides = found.Exists(f => f.Exists) ? RootedPath.ReadText(root, StatOverridePath) : null;
        for (var i = 0; i < found.Count; i++)
        {
            facts[i] = found[i].Exists
                ? Describe(root, found[i].Name, found[i].Path!, statOverrides)
                : new ToolFact { Name = found[i].Name, Found = false, Path = found[i].Path };
        }

        await Task.WhenAll(versions).ConfigureAwait(false);
        for (var i = 0; i < facts.Length; i++)
        {
            var version = await versions[i].ConfigureAwait(false);
            if (version is not null)
            {
                facts[i] = new ToolFact
                {
                    Name = facts[i].Name,
                    Found = facts[i].Found,
                    Path = facts[i].Path,
                    Version = version,
                    IsSetuid = facts[i].IsSetuid,
                    OwnerUid = facts[i].OwnerUid,
                    FileCapabilities = facts[i].FileCapabilities,
                    StatOverride = facts[i].StatOverride,
                };
            }
        }

        return facts;
    }

    /// <summary>
    /// Owner, setuid bit and file capabilities of one tool (no version), with dpkg's statoverride file as read once for
    /// all tools (null when there is none).
    /// </summary>
    internal static ToolFact Describe(string root, string name, string machinePath, string? statOverrides)
    {
        var file = RootedPath.Combine(root, machinePath);
        var stat = UnixFile.Stat(file);
        var setuid = stat?.IsSetuid ?? false;
        var caps = UnixFile.GetXattr(file, FileCapabilityText.AttributeName);
        return new ToolFact
        {
            Name = name,
            Found = true,
            Path = machinePath,
            IsSetuid = setuid,
            OwnerUid = stat?.OwnerUid,
            FileCapabilities = caps is null ? null : FileCapabilityText.Decode(caps),
            StatOverride = StatOverrideOf(statOverrides, machinePath),
        };
    }

    /// <summary>dpkg's list of administrator-set modes: "owner group mode path" per line.</summary>
    internal const string StatOverridePath = "/var/lib/dpkg/statoverride";

    /// <summary>The statoverride line for a path, when dpkg has one (only Debian-like systems have the file).</summary>
    private static string? StatOverrideOf(string? text, string machinePath)
    {
        if (text is null)
        {
            return null;
        }

        foreach (var line in text.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 4 && string.Equals(fields[3], machinePath, StringComparison.Ordinal))
            {
                return string.Join(' ', fields);
            }
        }

        return null;
    }

    internal static async Task<string?> ReadVersionAsync(IProcessRunner runner, string name, string path, CancellationToken cancellationToken)
    {
        // Only answers of real processes are remembered; a substitute runner (tests, recordings) always gets asked.
        var key = runner == ProcessRunner.Instance ? CacheKey(path) : null;
        if (key is not null && s_versionCache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        // The version the build embedded needs no process; --version remains for builds that do not embed it.
        var version = key is not null && EmbeddedVersion.MarkerFor(name) is { } marker ? EmbeddedVersion.Find(path, marker) : null;
        version ??= await AskVersionAsync(runner, path, cancellationToken).ConfigureAwait(false);
        if (key is not null && version is not null)
        {
            s_versionCache[key] = version;
        }

        return version;
    }

    private static string? CacheKey(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? $"{path}\0{info.Length}\0{info.LastWriteTimeUtc.Ticks}" : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static async Task<string?> AskVersionAsync(IProcessRunner runner, string path, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(
            new ProcessRequest(new[] { path, "--version" }) { Timeout = VersionTimeout, Environment = ProcessRunner.CLocale },
            cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (!result.Started || result.ExitCode is null)
        {
            return null;
        }

        return ToolVersion.Parse(result.StandardOutput) ?? ToolVersion.Parse(result.StandardError);
    }
}
