using System.IO.Compression;
using System.Text;
using UsernsTools.Facts.Denials;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Denials;

public sealed class DenialLogReaderTests : IDisposable
{
    private const string Restricted = "audit: type=1400 audit(1714039201.000:463): apparmor=\"DENIED\" operation=\"userns_create\" class=\"namespace\" info=\"User namespace creation restricted\" error=-13 profile=\"unconfined\" pid=4324 comm=\"unshare\"";
    private const string Capable = "type=AVC msg=audit(1714039300.000:500): apparmor=\"DENIED\" operation=\"capable\" class=\"cap\" profile=\"unprivileged_userns\" pid=4322 comm=\"bwrap\" capability=21  capname=\"sys_admin\"";
    private const string Noise = "Nov 22 08:00:00 host kernel: usb 1-1: new high-speed USB device number 2 using xhci_hcd";
    private const string OtherAppArmor = "audit: type=1400 audit(1714039300.000:501): apparmor=\"DENIED\" operation=\"open\" profile=\"/usr/sbin/cupsd\" name=\"/etc/ssl/private/\" pid=900 comm=\"cupsd\"";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("usernstools-denials-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void OnlyUserNamespaceEventsAreYieldedInFileOrder()
    {
        var path = Write("kern.log", Noise, Restricted, OtherAppArmor, Noise, Capable);
        var denials = DenialLogReader.Read(new DenialQuery { Paths = new[] { path } }, CancellationToken.None).ToList();
        Assert.Equal(new[] { DenialKind.AppArmorUsernsCreateRestricted, DenialKind.AppArmorCapabilityDenied }, denials.Select(d => d.Kind));
        Assert.All(denials, d => Assert.Equal(path, d.Origin));
    }

    [Fact]
    public void GzipIsRecognisedByItsContentNotItsName()
    {
        var path = Path.Combine(_dir.FullName, "rotated-log.txt");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(string.Join('\n', Noise, Restricted, Noise) + "\n"));
        }

        var denial = Assert.Single(DenialLogReader.Read(new DenialQuery { Paths = new[] { path } }, CancellationToken.None));
        Assert.Equal("unshare", denial.ProcessName);
    }

    [Fact]
    public void LinesAcrossBufferBoundariesAreAllFound()
    {
        // A small buffer makes many matching lines straddle two reads; none may be lost or cut.
        var lines = new List<string>();
        for (var i = 0; i < 3000; i++)
        {
            lines.Add(i % 7 == 0 ? Restricted.Replace("pid=4324", "pid=" + i, StringComparison.Ordinal) : Noise + new string('x', i % 113));
        }

        var path = Write("big.log", lines.ToArray());
        var denials = DenialLogReader.Read(new DenialQuery { Paths = new[] { path }, BufferSize = 4096 }, CancellationToken.None).ToList();
        Assert.Equal(Enumerable.Range(0, 3000).Where(i => i % 7 == 0), denials.Select(d => d.Pid!.Value));
        Assert.All(denials, d => Assert.Equal(DenialKind.AppArmorUsernsCreateRestricted, d.Kind));
    }

    [Fact]
    public void ALineLongerThanTheBufferDoesNotHideTheNextOnes()
    {
        var path = Write("long.log", Noise + new string('y', 20_000) + " userns", Restricted, "no newline at the end " + Capable);
        var denials = DenialLogReader.Read(new DenialQuery { Paths = new[] { path }, BufferSize = 4096 }, CancellationToken.None).ToList();
        Assert.Equal(new[] { DenialKind.AppArmorUsernsCreateRestricted, DenialKind.AppArmorCapabilityDenied }, denials.Select(d => d.Kind));
    }

    [Fact]
    public void SinceSkipsOlderEvents()
    {
        var path = Write("kern.log", Restricted, Capable);
        var since = DateTimeOffset.FromUnixTimeSeconds(1714039250);
        var denial = Assert.Single(DenialLogReader.Read(new DenialQuery { Paths = new[] { path }, Since = since }, CancellationToken.None));
        Assert.Equal(DenialKind.AppArmorCapabilityDenied, denial.Kind);
    }

    [Fact]
    public void AMissingPathIsReportedAndTheOthersAreStillRead()
    {
        var good = Write("kern.log", Restricted);
        var notices = new List<DenialSourceNotice>();
        var missing = Path.Combine(_dir.FullName, "missing.log");
        var denials = DenialLogReader.Read(new DenialQuery { Paths = new[] { missing, good }, Notify = notices.Add }, CancellationToken.None).ToList();
        Assert.Single(denials);
        var notice = Assert.Single(notices);
        Assert.Equal("LogNotFound", notice.ErrorId);
        Assert.Equal(missing, notice.Source);
    }

    [Fact]
    public void NothingReadableIsAnErrorNotAnEmptyResult()
    {
        var notices = new List<DenialSourceNotice>();
        var query = new DenialQuery { Root = _dir.FullName, Notify = notices.Add };
        var error = Assert.Throws<UsernsException>(() => DenialLogReader.Read(query, CancellationToken.None).ToList());
        Assert.Equal("DenialLogNotFound", error.ErrorId);
        Assert.Contains("kern.log", error.Message, StringComparison.Ordinal);
        Assert.Contains(notices, n => n.ErrorId == "AuditLogMissing");
    }

    [Fact]
    public void TheRestrictedKernelLogMessageSaysHowToReadIt()
    {
        var message = DenialLogReader.RestrictedMessage("/dev/kmsg", "Operation not permitted");
        Assert.Contains("dmesg_restrict", message, StringComparison.Ordinal);
        Assert.Contains("-Path", message, StringComparison.Ordinal);
    }

    [Fact]
    public void RotatedLogsBelowARootAreReadOldestFirstIncludingGzip()
    {
        var log = Directory.CreateDirectory(Path.Combine(_dir.FullName, "var", "log"));
        Directory.CreateDirectory(Path.Combine(log.FullName, "audit"));
        var old = Path.Combine(log.FullName, "kern.log.2.gz");
        using (var gzip = new GZipStream(File.Create(old), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(Restricted.Replace("pid=4324", "pid=1", StringComparison.Ordinal) + "\n"));
        }

        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-2));
        var middle = Path.Combine(log.FullName, "kern.log.1");
        File.WriteAllText(middle, Restricted.Replace("pid=4324", "pid=2", StringComparison.Ordinal) + "\n");
        File.SetLastWriteTimeUtc(middle, DateTime.UtcNow.AddDays(-1));
        File.WriteAllText(Path.Combine(log.FullName, "kern.log"), Restricted.Replace("pid=4324", "pid=3", StringComparison.Ordinal) + "\n");
        File.WriteAllText(Path.Combine(log.FullName, "audit", "audit.log"), Capable + "\n");

        var denials = DenialLogReader.Read(new DenialQuery { Root = _dir.FullName }, CancellationToken.None).ToList();
        Assert.Equal(new int?[] { 1, 2, 3, 4322 }, denials.Select(d => d.Pid));
        Assert.Equal("/var/log/kern.log.2.gz", denials[0].Origin);
        Assert.Equal("/var/log/audit/audit.log", denials[3].Origin);
    }

    [Fact]
    public async Task TheAsyncStreamYieldsTheSameDenials()
    {
        var path = Write("kern.log", Noise, Restricted, Capable, Restricted);
        var query = new DenialQuery { Paths = new[] { path } };
        var expected = DenialLogReader.Read(query, CancellationToken.None).Select(d => d.RawLine).ToList();
        var actual = new List<string>();
        await foreach (var denial in DenialLogReader.ReadAsync(query, CancellationToken.None))
        {
            actual.Add(denial.RawLine);
        }

        Assert.Equal(3, actual.Count);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task StoppingTheAsyncStreamEarlyEndsTheReader()
    {
        var path = Write("kern.log", Enumerable.Repeat(Restricted, 5000).ToArray());
        var count = 0;
        await foreach (var denial in DenialLogReader.ReadAsync(new DenialQuery { Paths = new[] { path } }, CancellationToken.None))
        {
            if (++count == 3)
            {
                break;
            }
        }

        Assert.Equal(3, count);
    }

    [Fact]
    public async Task TheAsyncStreamReportsAnUnreadableLogAsTheSameError()
    {
        var query = new DenialQuery { Root = _dir.FullName };
        var error = await Assert.ThrowsAsync<UsernsException>(async () =>
        {
            await foreach (var denial in DenialLogReader.ReadAsync(query, CancellationToken.None))
            {
                Assert.Fail("Nothing should be read: " + denial.RawLine);
            }
        });
        Assert.Equal("DenialLogNotFound", error.ErrorId);
    }

    [Fact]
    public void CancellationStopsReading()
    {
        var path = Write("kern.log", Restricted, Restricted);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Throws<OperationCanceledException>(() => DenialLogReader.Read(new DenialQuery { Paths = new[] { path } }, cancel.Token).ToList());
    }

    [Fact]
    public void TheLiveKernelLogIsReadWithoutError()
    {
        // On this machine the journal is empty or missing, so the reader must fall back to the ring buffer (root) or say why not.
        var notices = new List<DenialSourceNotice>();
        var query = new DenialQuery { Notify = notices.Add, SearchPath = Environment.GetEnvironmentVariable("PATH") };
        if (CurrentProcess.EffectiveUid == 0)
        {
            _ = DenialLogReader.Read(query, CancellationToken.None).ToList();
            Assert.DoesNotContain(notices, n => n.ErrorId == "KernelLogRestricted");
        }
        else
        {
            try
            {
                _ = DenialLogReader.Read(query, CancellationToken.None).ToList();
            }
            catch (UsernsException ex)
            {
                Assert.Equal("DenialLogNotReadable", ex.ErrorId);
            }
        }
    }

    [Fact]
    public void AnEmptyJournalAndARestrictedKernelLogAreAnErrorThatSaysHowToReadIt()
    {
        // What a non-root user sees with kernel.dmesg_restrict=1 and no journal access: journalctl prints nothing,
        // there is no readable /dev/kmsg, and dmesg is refused.
        var bin = FakeTools(journalctl: "exit 0", dmesg: "echo 'dmesg: read kernel buffer failed: Operation not permitted' >&2; exit 1");
        var notices = new List<DenialSourceNotice>();
        var query = Live(bin, notices);

        var error = Assert.Throws<UsernsException>(() => DenialLogReader.Read(query, CancellationToken.None).ToList());

        Assert.Equal("DenialLogNotReadable", error.ErrorId);
        Assert.Equal(UsernsErrorCategory.PermissionDenied, error.Category);
        Assert.Contains("dmesg_restrict", error.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "JournalEmpty", "KernelLogRestricted", "KernLogMissing", "AuditLogMissing" }, notices.Select(n => n.ErrorId));
    }

    [Fact]
    public void TheJournalIsReadWhenItHasKernelMessagesAndNothingElseIsAskedForTheKernelLog()
    {
        var journal = Write("journal.txt", "2024-04-25T10:00:01.000000+0000 host kernel: " + Restricted);
        var bin = FakeTools(journalctl: "cat '" + journal + "'", dmesg: "echo dmesg must not run >&2; exit 1");
        var notices = new List<DenialSourceNotice>();

        var denial = Assert.Single(DenialLogReader.Read(Live(bin, notices), CancellationToken.None));

        Assert.Equal(DenialLogReader.JournalSource, denial.Origin);
        Assert.Equal(DenialKind.AppArmorUsernsCreateRestricted, denial.Kind);
        Assert.DoesNotContain(notices, n => n.ErrorId is "JournalEmpty" or "KernelLogRestricted" or "KernLogMissing");
    }

    private DenialQuery Live(string bin, List<DenialSourceNotice> notices) => new()
    {
        Root = _dir.FullName,
        UseLiveKernelLog = true,
        SearchPath = bin,
        KmsgPath = Path.Combine(_dir.FullName, "no-kmsg"),
        JournalDirectories = new[] { _dir.FullName },
        Notify = notices.Add,
    };

    private string FakeTools(string journalctl, string dmesg)
    {
        var bin = Directory.CreateDirectory(Path.Combine(_dir.FullName, "bin")).FullName;
        foreach (var (name, body) in new[] { ("journalctl", journalctl), ("dmesg", dmesg) })
        {
            var path = Path.Combine(bin, name);
            File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return bin;
    }

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, string.Join('\n', lines) + (name == "long.log" ? "" : "\n"));
        return path;
    }
}
