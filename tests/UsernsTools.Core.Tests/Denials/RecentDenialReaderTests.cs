using System.Globalization;
using System.Text;
using UsernsTools.Facts.Denials;
using Xunit;

namespace UsernsTools.Tests.Denials;

/// <summary>The bounded scan a status runs: recent, capped, current files only, the end of a large file, and never an error.</summary>
public sealed class RecentDenialReaderTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("usernstools-recent-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static string Line(DateTimeOffset time, int pid) =>
        $"type=AVC msg=audit({time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.000:{pid.ToString(CultureInfo.InvariantCulture)}): apparmor=\"DENIED\" operation=\"capable\" class=\"cap\" profile=\"unprivileged_userns\" pid={pid.ToString(CultureInfo.InvariantCulture)} comm=\"bwrap\" capability=21  capname=\"sys_admin\"";

    private string AuditLog(string name = "audit.log")
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir.FullName, "var", "log", "audit"));
        return Path.Combine(dir.FullName, name);
    }

    private RecentDenials Read() => RecentDenialReader.Read(new DenialQuery { Root = _dir.FullName }, s_now, CancellationToken.None);

    [Fact]
    public void KeepsTheLastDayAtMostFiftyNewestLast()
    {
        var lines = new List<string> { Line(s_now.AddDays(-2), 1) };
        lines.AddRange(Enumerable.Range(1000, 70).Select(pid => Line(s_now.AddMinutes(-70 + (pid - 1000)), pid)));
        File.WriteAllLines(AuditLog(), lines);

        var recent = Read();

        Assert.Equal(RecentDenialReader.MaxDenials, recent.Denials.Count);
        Assert.Equal(1069, recent.Denials[^1].Pid);
        Assert.Equal(1020, recent.Denials[0].Pid);
        Assert.DoesNotContain(recent.Denials, d => d.Pid == 1);
    }

    [Fact]
    public void ReadsTheCurrentFileNotItsRotations()
    {
        File.WriteAllLines(AuditLog("audit.log.1"), new[] { Line(s_now.AddHours(-2), 11) });
        File.WriteAllLines(AuditLog(), new[] { Line(s_now.AddHours(-1), 22) });

        Assert.Equal(new int?[] { 22 }, Read().Denials.Select(d => d.Pid));
    }

    [Fact]
    public void ReadsOnlyTheEndOfALargeFileFromAWholeLine()
    {
        using (var file = new StreamWriter(AuditLog(), false, new UTF8Encoding(false)))
        {
            file.WriteLine(Line(s_now.AddHours(-3), 7));
            var filler = "type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=59 success=yes exit=0 comm=\"cron\" " + new string('x', 200);
            for (long written = 0; written < RecentDenialReader.TailBytes + (1 << 20); written += filler.Length + 1)
            {
                file.WriteLine(filler);
            }

            file.WriteLine(Line(s_now.AddHours(-1), 8));
        }

        var recent = Read();

        // The early line lies before the tail and is not read; the last one is, and nothing half-read appears.
        Assert.Equal(new int?[] { 8 }, recent.Denials.Select(d => d.Pid));
        Assert.Empty(recent.Notes);
    }

    [Fact]
    public void NoReadableLogIsANoteNotAnError()
    {
        var recent = Read();

        Assert.Empty(recent.Denials);
        var note = Assert.Single(recent.Notes);
        Assert.Contains("No log could be read", note, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTailOpenerStartsAtTheLineAfterTheCut()
    {
        var path = AuditLog();
        File.WriteAllText(path, "first line\nsecond line\nthird\n");
        using var stream = LogFileOpener.Open(path, tailBytes: 15);
        using var reader = new StreamReader(stream);
        Assert.Equal("third\n", reader.ReadToEnd());

        // A cut that falls exactly on a line start keeps that line.
        using var exact = LogFileOpener.Open(path, tailBytes: 18);
        using var exactReader = new StreamReader(exact);
        Assert.Equal("second line\nthird\n", exactReader.ReadToEnd());
    }

    private static string KmsgRecord(long sequence, DateTimeOffset time, int pid) =>
        sequence.ToString(CultureInfo.InvariantCulture) + ",100,1000,-;audit: type=1400 audit(" + time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
        + ".000:9): apparmor=\"DENIED\" operation=\"capable\" class=\"cap\" profile=\"unprivileged_userns\" pid=" + pid.ToString(CultureInfo.InvariantCulture)
        + " comm=\"bwrap\" capability=21  capname=\"sys_admin\"\n";

    [Fact]
    public void AKeptRingBufferIsReadOnFromWhereTheLastStatusLeftIt()
    {
        // A kmsg stand-in: a file, read on from the offset of the descriptor kept open, as the device is.
        var kmsg = Path.Combine(_dir.FullName, "kmsg");
        var first = KmsgRecord(5, s_now.AddMinutes(-30), 1001) + KmsgRecord(5, s_now.AddMinutes(-20), 1002);
        File.WriteAllText(kmsg, first);
        var query = new DenialQuery { Root = _dir.FullName, UseLiveKernelLog = true, KmsgPath = kmsg, KeepRingBufferOpen = true, SearchPath = _dir.FullName };
        try
        {
            Assert.Equal(new int?[] { 1001, 1002 }, RecentDenialReader.Read(query, s_now, CancellationToken.None).Denials.Select(d => d.Pid));

            // What was read is not read again: blank it out, and log one more denial after it.
            using (var file = new FileStream(kmsg, FileMode.Open, FileAccess.Write))
            {
                file.Write(Encoding.ASCII.GetBytes(new string('x', first.Length - 1) + "\n"));
            }

            File.AppendAllText(kmsg, KmsgRecord(5, s_now.AddMinutes(-1), 1003));
            Assert.Equal(new int?[] { 1001, 1002, 1003 }, RecentDenialReader.Read(query, s_now, CancellationToken.None).Denials.Select(d => d.Pid));

            // The kept denials still age out of the last day.
            Assert.Empty(RecentDenialReader.Read(query, s_now.AddDays(2), CancellationToken.None).Denials);

            // Without the open device the next read starts from the oldest record, which is blank now.
            RingBufferCursor.Close(kmsg);
            Assert.Equal(new int?[] { 1003 }, RecentDenialReader.Read(query, s_now, CancellationToken.None).Denials.Select(d => d.Pid));
        }
        finally
        {
            RingBufferCursor.Close(kmsg);
        }
    }

    [Fact]
    public void PrefersTheRingBufferAndStartsNoJournalctl()
    {
        // A journalctl stand-in that leaves a mark when it is run, and a kmsg stand-in with one denial record.
        var bin = Directory.CreateDirectory(Path.Combine(_dir.FullName, "bin"));
        var mark = Path.Combine(_dir.FullName, "journalctl-ran");
        var journalctl = Path.Combine(bin.FullName, "journalctl");
        File.WriteAllText(journalctl, $"#!/bin/sh\ntouch '{mark}'\n");
        File.SetUnixFileMode(journalctl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var kmsg = Path.Combine(_dir.FullName, "kmsg");
        File.WriteAllText(kmsg, "5,100,1000,-;audit: type=1400 audit(" + s_now.AddMinutes(-5).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
            + ".000:9): apparmor=\"DENIED\" operation=\"capable\" class=\"cap\" profile=\"unprivileged_userns\" pid=4242 comm=\"bwrap\" capability=21  capname=\"sys_admin\"\n");

        var recent = RecentDenialReader.Read(
            new DenialQuery { Root = _dir.FullName, UseLiveKernelLog = true, KmsgPath = kmsg, SearchPath = bin.FullName },
            s_now,
            CancellationToken.None);

        Assert.False(File.Exists(mark), "journalctl was started although the ring buffer was readable");
        Assert.Contains(recent.Denials, d => d.Pid == 4242);
    }
}
