using System.Management.Automation;
using UsernsTools.Diagnosis;
using UsernsTools.Facts.Denials;
using UsernsTools.Platform;

namespace UsernsTools.Module.Commands;

/// <summary>
/// Streams the AppArmor, SELinux and seccomp log lines about user namespaces, parsed, with what each means. Objects
/// are written as the logs are read, so the first ones appear at once and Select-Object -First stops the reading.
/// </summary>
[Cmdlet(VerbsCommon.Get, "UsernsDenial")]
[OutputType(typeof(UsernsDenial))]
public sealed class GetUsernsDenialCommand : UsernsCmdletBase
{
    /// <summary>Log files to read (plain or gzip) instead of the machine's kernel and audit logs.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Only events at or after this time.</summary>
    [Parameter]
    public DateTime Since { get; set; }

    protected override void EndProcessing()
    {
        var paths = (Path ?? Array.Empty<string>()).Select(p => ResolveFileSystemPath(p, nameof(Path))).ToArray();
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
            // Each unreadable -Path was already reported as its own error; nothing more to add.
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
                WriteError(new ErrorRecord(new IOException(notice.Message), notice.ErrorId, Category(notice.ErrorId), notice.Source)
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

    private static ErrorCategory Category(string errorId) => errorId switch
    {
        "LogNotFound" => ErrorCategory.ObjectNotFound,
        "LogNotReadable" => ErrorCategory.PermissionDenied,
        "LogIsDirectory" => ErrorCategory.InvalidArgument,
        _ => ErrorCategory.ReadError,
    };
}
