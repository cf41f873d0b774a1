using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Platform;

namespace UsernsTools.Probes.Bwrap;

/// <summary>Finds every bwrap the user can reach (each PATH entry, plus -BwrapPath) and describes it.</summary>
internal static class BwrapInstallationReader
{
    public const string SourcePath = "PATH";
    public const string SourceExplicit = "BwrapPath";

    /// <summary>The first release built without setuid support by default.</summary>
    public static readonly Version SetuidOffByDefault = new(0, 11, 2);

    /// <summary>
    /// Every bwrap the lookup reaches, with what deciding to run it takes (its status and file capabilities) and nothing
    /// more: a probe can start before the installations are described.
    /// </summary>
    public static IReadOnlyList<BwrapCandidate> Locate(BwrapLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var found = new List<(string Path, string Source)>();
        if (lookup.ExplicitPath is { Length: > 0 } explicitPath && PathLookup.IsExecutableFile(explicitPath))
        {
            found.Add((explicitPath, SourceExplicit));
        }

        var searchPath = lookup.SearchPath ?? Environment.GetEnvironmentVariable("PATH");
        foreach (var dir in (string.IsNullOrEmpty(searchPath) ? PathLookup.DefaultPath : searchPath).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!dir.StartsWith('/'))
            {
                continue;
            }

            var candidate = dir.TrimEnd('/') + "/bwrap";
            if (PathLookup.IsExecutableFile(candidate))
            {
                found.Add((candidate, SourcePath));
            }
        }

        // /bin and /usr/bin are one folder on merged-/usr systems: describe each file once, under the first name met.
        // The selected bwrap is the explicit one when given (even if missing: then none is), else the first on PATH.
        var explicitGiven = !string.IsNullOrEmpty(lookup.ExplicitPath);
        var seen = new HashSet<(ulong, ulong)>();
        var unique = new List<BwrapCandidate>();
        foreach (var (path, source) in found)
        {
            var status = UnixFile.Stat(path);
            if (status is null || !seen.Add((status.Device, status.Inode)))
            {
                continue;
            }

            var selected = explicitGiven ? source == SourceExplicit : unique.Count == 0;
            unique.Add(new BwrapCandidate(path, source, status, ReadFileCapabilities(path), selected));
        }

        return unique;
    }

    /// <summary>Describes each candidate <see cref="Locate"/> found, in the same order.</summary>
    public static async Task<IReadOnlyList<BwrapInstallation>> DescribeAsync(IReadOnlyList<BwrapCandidate> candidates, BwrapLookup lookup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(lookup);
        return await Task.WhenAll(candidates.Select(c => DescribeAsync(c, lookup, cancellationToken))).ConfigureAwait(false);
    }

    private static async Task<BwrapInstallation> DescribeAsync(BwrapCandidate candidate, BwrapLookup lookup, CancellationToken cancellationToken)
    {
        var path = candidate.Path;
        var isSetuid = candidate.Status.IsSetuid;
        long? ownerUid = candidate.Status.OwnerUid;
        var capabilities = candidate.FileCapabilities;
        var privileged = candidate.IsPrivileged;
        var facts = new List<BwrapFact>();

        string? version = null;
        if (privileged && lookup.CallerUid != 0)
        {
            facts.Add(new BwrapFact
            {
                Id = "BwrapVersionNotRead",
                Severity = Severity.Info,
                Message = $"The version of {path} was not read: running a privileged bwrap as a non-root user would use its privileges.",
            });
        }
        else if (lookup.Runner == ProcessRunner.Instance
            && await ToolReader.ReadVersionAsync(lookup.Runner, "bwrap", path, cancellationToken).ConfigureAwait(false) is { } known)
        {
            // The fact collector has usually asked this very file already (the answer is remembered per binary):
            // asking again would put one more bwrap start in front of every probe.
            version = known;
        }
        else
        {
            var result = await lookup.Runner.RunAsync(
                new ProcessRequest(new[] { path, "--version" }) { Timeout = lookup.Timeout, Environment = ProcessRunner.CLocale, WorkingDirectory = "/" },
                cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            version = ToolVersion.Parse(result.StandardOutput);
            if (version is null && result.StandardError.Contains("setuid use of bubblewrap is not supported", StringComparison.Ordinal))
            {
                facts.Add(new BwrapFact
                {
                    Id = "BwrapRefusesSetuid",
                    Severity = Severity.Warning,
                    Message = $"{path} refuses to run: it is setuid but built without setuid support. Remove the setuid bit.",
                });
            }
        }

        var supportsSetuid = SupportsSetuid(version);
        if (isSetuid)
        {
            facts.Add(new BwrapFact
            {
                Id = "BwrapSetuid",
                Severity = Severity.Warning,
                Message = ownerUid is 0 or null
                    ? $"{path} is setuid root. Setuid bwrap widens the attack surface (it runs privileged code for every user) and is "
                      + (supportsSetuid == false ? "not supported by this build (0.11.2 and later refuse it)" : "deprecated upstream (off by default since 0.11.2, removed in 0.12)")
                      + "; UsernsTools does not run it. Use unprivileged user namespaces and remove the setuid bit (chmod u-s)."
                    : $"{path} has the setuid bit but is owned by uid {ownerUid}; it is not used.",
            });
        }

        if (capabilities is not null)
        {
            facts.Add(new BwrapFact
            {
                Id = "BwrapFileCapabilities",
                Severity = Severity.Warning,
                Message = $"{path} has file capabilities ({capabilities}); current bwrap refuses them ('Unexpected capabilities but not setuid') and UsernsTools does not run it. Remove them with setcap -r.",
            });
        }

        return new BwrapInstallation
        {
            Path = path,
            ResolvedPath = Resolve(path),
            Source = candidate.Source,
            IsSelected = candidate.IsSelected,
            Version = version,
            IsSetuid = isSetuid,
            OwnerUid = ownerUid,
            FileCapabilities = capabilities,
            SupportsSetuid = supportsSetuid,
            Facts = facts,
        };
    }

    /// <summary>Whether a bwrap of <paramref name="version"/> still accepts setuid use; null when the version is unknown.</summary>
    internal static bool? SupportsSetuid(string? version) =>
        ToolVersion.AsVersion(version) is { } parsed ? parsed < SetuidOffByDefault : null;

    /// <summary>The file's capabilities in getcap's notation; null when it has none.</summary>
    private static string? ReadFileCapabilities(string path) =>
        UnixFile.GetXattr(path, FileCapabilityText.AttributeName) is { } value && FileCapabilityText.Decode(value) is { Length: > 0 } text ? text : null;

    private static string Resolve(string path)
    {
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
        catch (UnauthorizedAccessException)
        {
            return path;
        }
    }

    /// <summary>Why an existing <paramref name="path"/> cannot be run as bwrap; null when it can, or when nothing is there.</summary>
    internal static string? PathProblem(string path) => UnixFile.Stat(path) switch
    {
        { IsDirectory: true } => "is a directory",
        { AnyoneMayExecute: false } status => $"has no execute permission (mode {status.ModeText})",
        _ => null,
    };
}
