using System.Management.Automation;
using UsernsTools.Diagnosis;
using UsernsTools.Facts.Denials;
using UsernsTools.Platform;

namespace UsernsTools.Module.Commands;

/// <summary>
/// Streams the AppArmor, SELinux and seccomp log lines about user namespaces, parsed, with what each means. Objects
/// are written as the logs are read, so the first ones appear at once and Select-Object -First stops the reading.
/// </summary>
[Cmdlet(VerbsCommon.Get, "UsernsDenial", DefaultParameterSetName = PathSet)]
[OutputType(typeof(UsernsDenial))]
public sealed class GetUsernsDenialCommand : UsernsCmdletBase
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>Log files to read (plain or gzip) instead of the machine's kernel and audit logs; wildcards are expanded.</summary>
    [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Log files to read, taken exactly as written (no wildcards); binds the PSPath of Get-ChildItem's output.</summary>
    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    /// <summary>Only events at or after this time.</summary>
    [Parameter]
    public DateTime Since { get; set; }

    protected override void ProcessRecord()
    {
        // Each piped file is read as it arrives, so the first denials appear before the last file is named.
        var paths = ParameterSetName == LiteralPathSet
            ? LiteralPath!.Select(p => ResolveFileSystemPath(p, nameof(LiteralPath))).ToArray()
            : Path?.SelectMany(ExpandPath).ToArray();
        if (paths is { Length: 0 })
        {
            // Every pattern matched nothing (each was reported): the machine's logs were not asked for.
            return;
        }

        Read(paths ?? Array.Empty<string>());
    }

    /// <summary>
    /// A -Path with wildcards becomes the files it matches, resolved by the provider from the current location, as
    /// Get-Content does; a plain one is passed on unresolved, so the reader can say why it cannot be read.
    /// </summary>
    private IEnumerable<string> ExpandPath(string path)
    {
        if (!WildcardPattern.ContainsWildcardCharacters(path))
        {
            return new[] { ResolveFileSystemPath(path, nameof(Path)) };
        }

        try
        {
            var matches = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
            if (!IsFileSystem(provider))
            {
                WriteError(NotFileSystemPath(path, nameof(Path), $"it belongs to the {provider.Name} provider."));
                return Array.Empty<string>();
            }

            if (matches.Count > 0)
            {
                WriteVerbose($"-Path '{path}' matches {matches.Count} file(s).");
                return matches;
            }
        }
        catch (ItemNotFoundException)
        {
            // The folder part of the pattern does not exist: no file matches either.
        }

        WriteError(new ErrorRecord(new ItemNotFoundException($"No file matches '{path}'."), "LogNotFound", ErrorCategory.ObjectNotFound, path)
        {
            ErrorDetails = new ErrorDetails($"No file matches '{path}'."),
        });
        return Array.Empty<string>();
    }

    private void Read(string[] paths)
    {
        var query = new DenialQuery
        {
            Paths = paths,
            // Local or unspecified times are the user's local time, as Get-Date gives them.
            Since = MyInvocation.BoundParameters.ContainsKey(nameof(Since)) ? new DateTimeOffset(Since) : null,

            // The reader runs on this (the pipeline) thread as it is enumerated, so the notices can be written here.
            Notify = Notify,
        };
        WriteVerbose(paths.Length > 0
            ? $"Reading {string.Join(", ", paths)}."
            : "Reading the kernel log (journalctl -k, /dev/kmsg or dmesg, else /var/log/kern.log) and /var/log/audit/audit.log.");

        try
        {
            foreach (var denial in UsernsEngine.GetDenials(query, CancellationToken))
            {
                WriteObject(denial);
            }
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (UsernsException ex) when (paths.Length > 0)
        {
            // Each unreadable file was already reported as its own error; nothing more to add.
            WriteVerbose(ex.Message);
        }
        catch (UsernsException ex)
        {
            // No log of the machine could be read (e.g. the kernel log as non-root): there is nothing to return.
            ThrowUsernsError(ex);
        }
    }

    private void Notify(DenialSourceNotice notice)
    {
        switch (notice.Severity)
        {
            case Severity.Blocking:
                WriteError(new ErrorRecord(new IOException(notice.Message), notice.ErrorId, ToErrorCategory(notice.Category), notice.Source)
                {
                    ErrorDetails = new ErrorDetails(notice.Message),
                });
                break;
            case Severity.Warning:
                WriteWarning(notice.Message);
                break;
            default:
                WriteVerbose(notice.Message);
                break;
        }
    }
}
