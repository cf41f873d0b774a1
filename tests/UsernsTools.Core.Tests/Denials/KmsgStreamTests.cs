using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using UsernsTools.Facts.Denials;
using Xunit;

namespace UsernsTools.Tests.Denials;

/// <summary>
/// The real kernel ring buffer, read as the status reads it. /dev/kmsg itself comes as dmesg prints it, read at once;
/// the same device under another name (as a test's stand-in file would be) comes record by record: whole records,
/// several to a read, none cut or lost.
/// </summary>
public sealed class KmsgStreamTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("usernstools-kmsg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The device under a name of its own: read record by record, as any path but /dev/kmsg is.</summary>
    private string RecordByRecord()
    {
        var link = Path.Combine(_dir, "kmsg");
        File.CreateSymbolicLink(link, "/dev/kmsg");
        return link;
    }

    private static string ReadAll(string path, int chunk = 8192) => ReadAll(path, chunk, out _);

    private static string ReadAll(string path, int chunk, out int reads)
    {
        using var stream = KmsgStream.TryOpen(path, out var error) ?? throw new InvalidOperationException($"{path}: errno {error}");
        var text = new StringBuilder();
        var buffer = new byte[chunk];
        int n;
        reads = 0;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            reads++;
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        return text.ToString();
    }

    [KernelFact(RequiresRoot = true)]
    public void EachReadGivesManyWholeRecordsAndTheirSequenceRunsOn()
    {
        var text = ReadAll(RecordByRecord(), 8192, out var reads);

        // Every record is "priority,sequence,microseconds,flags;message", then its dictionary lines (" KEY=value").
        var records = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith(' ')).ToList();
        Assert.True(records.Count >= 2, "the ring buffer holds at least the boot messages");
        var sequence = records.Select(r => long.Parse(r.Split(',')[1], CultureInfo.InvariantCulture)).ToList();
        Assert.All(records, r => Assert.Matches(@"^\d+,\d+,\d+,[^;]*;", r));
        Assert.True(sequence.Zip(sequence.Skip(1)).All(p => p.Second > p.First), "records come in order, none cut in two");
        Assert.True(reads < records.Count, $"{reads} reads for {records.Count} records: a read should carry many records");
    }

    [KernelFact(RequiresRoot = true)]
    public void ARecordLargerThanWhatIsAskedForComesInPieces()
    {
        using var stream = KmsgStream.TryOpen(RecordByRecord(), out var error) ?? throw new InvalidOperationException($"kmsg: errno {error}");
        var pieces = new List<string>();
        var buffer = new byte[7];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0 && pieces.Count < 64)
        {
            Assert.True(n <= buffer.Length);
            pieces.Add(Encoding.UTF8.GetString(buffer, 0, n));
        }

        Assert.Matches(@"^\d+,\d+,\d+,[^;]*;", string.Concat(pieces));
    }

    [KernelFact(RequiresRoot = true)]
    public void TheKernelsOwnDeviceGivesTheSameRecordsAsDmesgPrintsThem()
    {
        // Read record by record first: whatever is logged in between only adds to the second read.
        var records = ReadAll(RecordByRecord()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith(' '))
            .Select(l => (Micros: long.Parse(l.Split(',')[2], CultureInfo.InvariantCulture), Message: l[(l.IndexOf(';', StringComparison.Ordinal) + 1)..]))
            .Where(r => r.Message.All(c => c is >= ' ' and < '\x7f' && c != '\\'))
            .ToList();
        var lines = ReadAll("/dev/kmsg", 8192).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // "[    12.345678] text", or "[    12.345678][    T1] text" with the caller's id; a record logged after the read
        // at once comes from the device, in its own form.
        var dmesg = new Regex(@"^\[\s*(\d+)\.(\d{6})\](?:\[\s*[TC]\d+\])? ?(.*)$", RegexOptions.CultureInvariant);
        var printed = new List<(long Micros, string Message)>();
        foreach (var line in lines)
        {
            var m = dmesg.Match(line);
            if (m.Success)
            {
                var micros = (long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 1_000_000) + long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                Assert.True(printed.Count == 0 || printed[^1].Micros <= micros, "the records come oldest first");
                printed.Add((micros, m.Groups[3].Value));
            }
            else
            {
                Assert.Matches(@"^\d+,\d+,\d+,[^;]*;", line);
            }
        }

        Assert.True(printed.Count >= 2, "the ring buffer holds at least the boot messages");
        var newest = records.TakeLast(100).ToList();
        var at = 0;
        foreach (var record in newest)
        {
            var found = printed.FindIndex(at, p => p == record);
            Assert.True(found >= 0, $"record at {record.Micros} us is missing: {record.Message}");
            at = found + 1;
        }
    }

    [Theory]
    [InlineData("<6>[    1.000000] one\n<12>[    2.500000] two\n", "[    1.000000] one\n[    2.500000] two\n")]
    [InlineData("<6>[    1.000000] first line\n<6>[    1.000000] second line", "[    1.000000] first line\n[    1.000000] second line")]
    [InlineData("", "")]
    public void EachLineLosesItsPriorityAndNothingElse(string raw, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(raw + "extra bytes past the length");

        var kept = KmsgStream.WithoutPriorities(bytes, Encoding.UTF8.GetByteCount(raw));

        Assert.Equal(expected, Encoding.UTF8.GetString(bytes, 0, kept));
    }

    [Fact]
    public void RecordsWithoutTimesAreNotTaken()
    {
        var bytes = Encoding.UTF8.GetBytes("<6>Linux version 6.8\n<6>[    1.000000] later\n");

        Assert.Equal(-1, KmsgStream.WithoutPriorities(bytes, bytes.Length));
    }
}
