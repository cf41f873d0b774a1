using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using UsernsTools.Diagnosis;
using UsernsTools.Platform;

namespace UsernsTools.Facts.Denials;

/// <summary>
/// Streams user namespace denials from the machine's logs: the kernel log (journalctl -k, else /dev/kmsg or dmesg,
/// else /var/log/kern.log with its rotations) and /var/log/audit/audit.log with its rotations, or from the files
/// given. Reads line by line through a fixed buffer, gzip by magic bytes. A source that cannot be read is reported
/// through <see cref="DenialQuery.Notify"/>; when none can be read at all the reader throws rather than return nothing.
/// </summary>
internal static class DenialLogReader
{
    public const string JournalSource = "journalctl -k";
    public const string DmesgSource = "dmesg";
    public const string KernLogPath = "/var/log/kern.log";
    public const string AuditLogPath = "/var/log/audit/audit.log";

    public static IEnumerable<UsernsDenial> Read(DenialQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadCore(query, cancellationToken);
    }

    /// <summary>
    /// The same stream for async consumers: reading runs on a worker thread (so <see cref="DenialQuery.Notify"/> is called
    /// there) and hands denials over through a small bounded queue, so memory stays flat.
    /// </summary>
    public static async IAsyncEnumerable<UsernsDenial> ReadAsync(DenialQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<UsernsDenial>(new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var denial in ReadCore(query, stop.Token))
                    {
                        await channel.Writer.WriteAsync(denial, stop.Token).ConfigureAwait(false);
                    }

                    channel.Writer.Complete();
                }
                catch (Exception ex)
                {
                    channel.Writer.Complete(ex);
                }
            },
            CancellationToken.None);
        try
        {
            await foreach (var denial in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return denial;
            }
        }
        finally
        {
            // The consumer may stop early: end the worker too.
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }

    private static IEnumerable<UsernsDenial> ReadCore(DenialQuery query, CancellationToken cancellationToken)
    {
        var failures = new List<DenialSourceNotice>();
        var anyRead = false;

        void Report(DenialSourceNotice notice, bool failure)
        {
            if (failure)
            {
                failures.Add(notice);
            }

            query.Notify?.Invoke(notice);
        }

        if (query.Paths.Count > 0)
        {
            foreach (var path in query.Paths)
            {
                var stream = TryOpenFile(path, path, explicitPath: true, Report);
                if (stream is null)
                {
                    continue;
                }

                anyRead = true;
                foreach (var denial in Scan(stream, path, FileContext(path), query, cancellationToken))
                {
                    yield return denial;
                }
            }
        }
        else
        {
            var kernelDone = false;
            var live = query.UseLiveKernelLog ?? (query.Root.Length == 0 || query.Root == "/");
            if (live && query.PreferRingBuffer && query.KeepRingBufferOpen
                && RingBufferCursor.Read(query.KmsgPath, ring => Scan(ring, query.KmsgPath, new DenialParseContext { BootTime = BootTime() }, query, cancellationToken, ownsStream: false)) is { } kept)
            {
                // Read in-process as below; kept from earlier reads are those still recent enough.
                anyRead = true;
                kernelDone = true;
                foreach (var denial in kept)
                {
                    if (InWindow(denial, query))
                    {
                        yield return denial;
                    }
                }
            }
            else if (live && query.PreferRingBuffer && KmsgStream.TryOpen(query.KmsgPath, out _) is { } ring)
            {
                // The ring buffer holds the newest kernel messages and is read in-process: no journalctl start.
                anyRead = true;
                kernelDone = true;
                foreach (var denial in Scan(ring, query.KmsgPath, new DenialParseContext { BootTime = BootTime() }, query, cancellationToken))
                {
                    yield return denial;
                }
            }

            if (live && !kernelDone)
            {
                var journal = StartJournal(query, Report);
                if (journal is not null)
                {
                    using (journal)
                    {
                        var output = new CountingStream(journal.Output);
                        foreach (var denial in Scan(output, JournalSource, null, query, cancellationToken))
                        {
                            yield return denial;
                        }

                        var (exitCode, stderr) = journal.Finish();

                        // An empty answer (no journal files, or none this user may read) falls back to the ring buffer.
                        kernelDone = output.BytesRead > 0;
                        anyRead |= kernelDone;
                        if (!kernelDone)
                        {
                            Report(new DenialSourceNotice(JournalSource, Severity.Info, "JournalEmpty", $"journalctl -k returned no kernel messages (exit code {exitCode}{(stderr.Length > 0 ? ": " + stderr : "")}); reading the kernel ring buffer instead."), failure: false);
                        }
                    }
                }

                if (!kernelDone)
                {
                    var kmsg = KmsgStream.TryOpen(query.KmsgPath, out var error);
                    if (kmsg is not null)
                    {
                        anyRead = true;
                        kernelDone = true;
                        foreach (var denial in Scan(kmsg, query.KmsgPath, new DenialParseContext { BootTime = BootTime() }, query, cancellationToken))
                        {
                            yield return denial;
                        }
                    }
                    else if (error is PosixNative.ENOENT or PosixNative.ENXIO or PosixNative.ENODEV)
                    {
                        var dmesg = StartDmesg(query, Report);
                        if (dmesg is not null)
                        {
                            using (dmesg)
                            {
                                foreach (var denial in Scan(dmesg.Output, DmesgSource, null, query, cancellationToken))
                                {
                                    yield return denial;
                                }

                                var (exitCode, stderr) = dmesg.Finish();
                                kernelDone = exitCode == 0;
                                anyRead |= kernelDone;
                                if (!kernelDone)
                                {
                                    Report(new DenialSourceNotice(DmesgSource, Severity.Warning, "KernelLogRestricted", RestrictedMessage(DmesgSource, stderr)), failure: true);
                                }
                            }
                        }
                    }
                    else
                    {
                        Report(new DenialSourceNotice(query.KmsgPath, Severity.Warning, "KernelLogRestricted", RestrictedMessage(query.KmsgPath, PosixNative.ErrorMessage(error))), failure: true);
                    }
                }
            }

            if (!kernelDone)
            {
                var files = LogFiles(query, KernLogPath);
                if (files.Count == 0)
                {
                    Report(new DenialSourceNotice(KernLogPath, Severity.Info, "KernLogMissing", $"{KernLogPath} does not exist (no rsyslog)."), failure: true);
                }

                foreach (var (file, shown) in files)
                {
                    var stream = TryOpenFile(file, shown, explicitPath: false, Report, query.TailBytes);
                    if (stream is null)
                    {
                        continue;
                    }

                    anyRead = true;
                    foreach (var denial in Scan(stream, shown, FileContext(file), query, cancellationToken))
                    {
                        yield return denial;
                    }
                }
            }

            var auditFiles = LogFiles(query, AuditLogPath);
            if (auditFiles.Count == 0)
            {
                Report(new DenialSourceNotice(AuditLogPath, Severity.Info, "AuditLogMissing", $"{AuditLogPath} does not exist (auditd is not installed or logs elsewhere); without auditd, AppArmor and SELinux events go to the kernel log."), failure: false);
            }

            foreach (var (file, shown) in auditFiles)
            {
                var stream = TryOpenFile(file, shown, explicitPath: false, Report, query.TailBytes);
                if (stream is null)
                {
                    continue;
                }

                anyRead = true;
                foreach (var denial in Scan(stream, shown, FileContext(file), query, cancellationToken))
                {
                    yield return denial;
                }
            }
        }

        if (!anyRead)
        {
            var reasons = string.Join(" ", failures.Select(f => f.Message));
            var denied = failures.Any(f => f.ErrorId is "KernelLogRestricted" or "LogNotReadable");
            throw new UsernsException(
                denied ? "DenialLogNotReadable" : "DenialLogNotFound",
                denied ? UsernsErrorCategory.PermissionDenied : UsernsErrorCategory.ObjectNotFound,
                "No log could be read for user namespace denials. " + reasons,
                query.Paths.Count > 0 ? string.Join(", ", query.Paths) : query.Root);
        }
    }

    private static IEnumerable<UsernsDenial> Scan(Stream stream, string origin, DenialParseContext? context, DenialQuery query, CancellationToken cancellationToken, bool ownsStream = true)
    {
        try
        {
            foreach (var line in DenialLineScanner.CandidateLines(stream, cancellationToken, query.BufferSize))
            {
                var denial = DenialParser.Parse(line, context, origin);
                if (denial is null || !InWindow(denial, query))
                {
                    continue;
                }

                yield return denial;
            }
        }
        finally
        {
            if (ownsStream)
            {
                stream.Dispose();
            }
        }
    }

    /// <summary>Whether the denial is as recent as -Since asks; one without a time is kept.</summary>
    private static bool InWindow(UsernsDenial denial, DenialQuery query)
        => query.Since is not DateTimeOffset since || denial.Time is not DateTimeOffset time || time >= since;

    private static StreamingProcess? StartJournal(DenialQuery query, Action<DenialSourceNotice, bool> report)
    {
        if (!query.JournalDirectories.Any(Directory.Exists))
        {
            report(new DenialSourceNotice(JournalSource, Severity.Info, "JournalMissing", "There is no systemd journal (" + string.Join(", ", query.JournalDirectories) + ")."), false);
            return null;
        }

        var journalctl = PathLookup.Find("journalctl", query.SearchPath ?? Environment.GetEnvironmentVariable("PATH"));
        if (journalctl is null)
        {
            report(new DenialSourceNotice(JournalSource, Severity.Info, "JournalctlMissing", "journalctl is not installed."), false);
            return null;
        }

        var argv = new List<string> { journalctl, "-k", "--no-pager", "-q", "-o", "short-iso-precise" };
        if (query.Since is DateTimeOffset since)
        {
            argv.Add("--since=@" + since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        var process = StreamingProcess.TryStart(argv, out var error);
        if (process is null)
        {
            report(new DenialSourceNotice(JournalSource, Severity.Info, "JournalctlFailed", "journalctl could not be started: " + error), false);
        }

        return process;
    }

    private static StreamingProcess? StartDmesg(DenialQuery query, Action<DenialSourceNotice, bool> report)
    {
        var dmesg = PathLookup.Find("dmesg", query.SearchPath ?? Environment.GetEnvironmentVariable("PATH"));
        if (dmesg is null)
        {
            report(new DenialSourceNotice(DmesgSource, Severity.Info, "DmesgMissing", "There is no /dev/kmsg and dmesg is not installed."), true);
            return null;
        }

        var process = StreamingProcess.TryStart(new[] { dmesg, "--time-format=iso" }, out var error);
        if (process is null)
        {
            report(new DenialSourceNotice(DmesgSource, Severity.Info, "DmesgFailed", "dmesg could not be started: " + error), true);
        }

        return process;
    }

    /// <summary>The sentence telling a user why the kernel log is closed to them and what opens it.</summary>
    internal static string RestrictedMessage(string source, string detail)
        => $"The kernel log cannot be read ({source}: {detail}): kernel.dmesg_restrict=1 limits it to root (CAP_SYSLOG). "
           + "Run as root (sudo), or read /var/log/kern.log (group adm) or the journal (group systemd-journal), or pass the log with -Path.";

    private static Stream? TryOpenFile(string path, string shown, bool explicitPath, Action<DenialSourceNotice, bool> report, long? tailBytes = null)
    {
        var severity = explicitPath ? Severity.Blocking : Severity.Warning;
        if (string.IsNullOrWhiteSpace(path))
        {
            // An unset variable in a script ("--path $LOG"): no file at all, said so rather than as the runtime's own error.
            report(new DenialSourceNotice(shown, severity, "LogNotFound", "A log path is empty.", UsernsErrorCategory.InvalidArgument), true);
            return null;
        }

        try
        {
            if (Directory.Exists(path))
            {
                report(new DenialSourceNotice(shown, severity, "LogIsDirectory", $"'{shown}' is a directory, not a log file.", UsernsErrorCategory.InvalidArgument), true);
                return null;
            }

            return LogFileOpener.Open(path, tailBytes);
        }
        catch (FileNotFoundException)
        {
            report(new DenialSourceNotice(shown, severity, "LogNotFound", $"'{shown}' does not exist.", UsernsErrorCategory.ObjectNotFound), true);
        }
        catch (DirectoryNotFoundException)
        {
            report(new DenialSourceNotice(shown, severity, "LogNotFound", $"'{shown}' does not exist.", UsernsErrorCategory.ObjectNotFound), true);
        }
        catch (UnauthorizedAccessException)
        {
            report(new DenialSourceNotice(shown, severity, "LogNotReadable", $"'{shown}' cannot be read: permission denied (log files are usually readable by root and the adm group only).", UsernsErrorCategory.PermissionDenied), true);
        }
        catch (IOException ex)
        {
            report(new DenialSourceNotice(shown, severity, "LogNotReadable", $"'{shown}' cannot be read: {ex.Message}", UsernsErrorCategory.PermissionDenied), true);
        }

        return null;
    }

    /// <summary>The log and, unless only current files are wanted, its rotations.</summary>
    private static List<(string File, string Shown)> LogFiles(DenialQuery query, string machinePath)
    {
        var files = RotatedFiles(query.Root, machinePath, query.Since);
        if (query.CurrentFilesOnly)
        {
            var name = Path.GetFileName(machinePath);
            files.RemoveAll(f => Path.GetFileName(f.File) != name);
        }

        return files;
    }

    /// <summary>
    /// The log and its rotations (name.1, name.2.gz, name-20261122...) below the root, oldest first; rotations last
    /// written before <paramref name="since"/> cannot hold newer events and are skipped.
    /// </summary>
    internal static List<(string File, string Shown)> RotatedFiles(string root, string machinePath, DateTimeOffset? since)
    {
        var full = RootedPath.Combine(root, machinePath);
        var dir = Path.GetDirectoryName(full);
        var name = Path.GetFileName(full);
        var result = new List<(string File, string Shown, DateTime Written)>();
        try
        {
            if (dir is null || !Directory.Exists(dir))
            {
                return new List<(string, string)>();
            }

            foreach (var file in Directory.EnumerateFiles(dir, name + "*"))
            {
                var fileName = Path.GetFileName(file);
                if (fileName != name && fileName[name.Length] is not ('.' or '-'))
                {
                    continue;
                }

                var written = File.GetLastWriteTimeUtc(file);
                if (fileName != name && since is DateTimeOffset s && written < s.UtcDateTime)
                {
                    continue;
                }

                result.Add((file, Path.GetDirectoryName(machinePath) + "/" + fileName, written));
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        // The live file last even if a rotation was touched later; rotations by age.
        return result
            .OrderBy(f => Path.GetFileName(f.File) == name ? 1 : 0)
            .ThenBy(f => f.Written)
            .ThenByDescending(f => f.File, StringComparer.Ordinal)
            .Select(f => (f.File, f.Shown))
            .ToList();
    }

    private static DenialParseContext FileContext(string path)
    {
        try
        {
            return new DenialParseContext { Year = File.GetLastWriteTime(path).Year };
        }
        catch (IOException)
        {
            return new DenialParseContext();
        }
        catch (UnauthorizedAccessException)
        {
            return new DenialParseContext();
        }
    }

    /// <summary>Boot time from /proc/stat btime, to turn /dev/kmsg's microseconds since boot into times.</summary>
    private static DateTimeOffset? BootTime()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/stat"))
            {
                if (line.StartsWith("btime ", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan(6).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    return DateTimeOffset.FromUnixTimeSeconds(seconds);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
